package dev.noriwal.jmx;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import javax.management.MBeanOperationInfo;

/**
 * Human text for an MXBean interface, attribute getter, operation or parameter, copied into the
 * {@code MBeanInfo} by {@link DescribedMXBean} so JConsole shows it instead of a method name.
 * Public so other nori-wal modules (the agent, wal-cdi) describe their MXBeans the same way.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER})
public @interface Description {
  String value();

  /** For operations: {@link MBeanOperationInfo#INFO} (read-only) or {@code ACTION}. */
  int impact() default MBeanOperationInfo.ACTION;
}
