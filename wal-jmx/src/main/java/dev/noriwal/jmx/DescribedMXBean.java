package dev.noriwal.jmx;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/**
 * An MXBean whose descriptions, parameter names and operation impacts come from {@link
 * Description} annotations (and {@code -parameters} names) on its interface. The interface must
 * not overload operation names. Thread-safe.
 */
final class DescribedMXBean<T> extends StandardEmitterMBean {
  private final Class<T> iface;

  DescribedMXBean(T impl, Class<T> iface, NotificationEmitter emitter) {
    super(impl, iface, true, emitter);
    this.iface = iface;
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    Description d = iface.getAnnotation(Description.class);
    return d != null ? d.value() : super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    for (String prefix : new String[] {"get", "is"}) {
      Method m = find(prefix + info.getName(), 0);
      if (m != null && m.isAnnotationPresent(Description.class)) {
        return m.getAnnotation(Description.class).value();
      }
    }
    return super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanOperationInfo op) {
    Method m = find(op.getName(), op.getSignature().length);
    return m != null && m.isAnnotationPresent(Description.class)
        ? m.getAnnotation(Description.class).value()
        : super.getDescription(op);
  }

  @Override
  protected int getImpact(MBeanOperationInfo op) {
    Method m = find(op.getName(), op.getSignature().length);
    return m != null && m.isAnnotationPresent(Description.class)
        ? m.getAnnotation(Description.class).impact()
        : super.getImpact(op);
  }

  @Override
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int seq) {
    Parameter p = parameter(op, seq);
    return p != null && p.isNamePresent() ? p.getName() : super.getParameterName(op, param, seq);
  }

  @Override
  protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int seq) {
    Parameter p = parameter(op, seq);
    return p != null && p.isAnnotationPresent(Description.class)
        ? p.getAnnotation(Description.class).value()
        : super.getDescription(op, param, seq);
  }

  private Parameter parameter(MBeanOperationInfo op, int seq) {
    Method m = find(op.getName(), op.getSignature().length);
    return m == null ? null : m.getParameters()[seq];
  }

  private Method find(String name, int params) {
    for (Method m : iface.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == params) {
        return m;
      }
    }
    return null;
  }
}
