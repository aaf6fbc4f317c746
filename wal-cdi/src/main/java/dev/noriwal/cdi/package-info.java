/**
 * CDI integration for nori-wal: {@link dev.noriwal.cdi.Durable @Durable} injects a log served by
 * the JVM-wide {@code WalService}; {@link dev.noriwal.cdi.Journaled @Journaled} journals a business
 * method write-ahead (invocation record durable before the body runs, then a completion or failure
 * record); {@link dev.noriwal.cdi.JournalRecovery} is fired at startup with the invocations a crash
 * left unfinished. {@link dev.noriwal.cdi.WalExtension} validates all of this at deployment and
 * owns the lifecycle of the logs it opens.
 *
 * <p>Compiled against CDI 4.0 and Interceptors 2.1 so it runs on WildFly 39, Open Liberty and
 * Payara 6 as well as newer runtimes.
 */
@NullMarked
package dev.noriwal.cdi;

import org.jspecify.annotations.NullMarked;
