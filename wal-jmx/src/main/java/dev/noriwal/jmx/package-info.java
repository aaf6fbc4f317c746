/**
 * The JVM-wide {@link dev.noriwal.jmx.WalService} and the MXBeans through which operators see and
 * manage every log ({@code dev.noriwal:type=Service}, {@code dev.noriwal:type=Log,name=<log>}),
 * with JMX notifications and JDK Flight Recorder events.
 */
@NullMarked
package dev.noriwal.jmx;

import org.jspecify.annotations.NullMarked;
