package dev.noriwal.jmx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationEmitter;
import javax.management.ReflectionException;
import javax.management.RuntimeMBeanException;
import javax.management.StandardEmitterMBean;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenMBeanParameterInfo;
import javax.management.openmbean.OpenType;
import org.jspecify.annotations.Nullable;

/**
 * An MXBean whose descriptions, parameter names and operation impacts come from {@link Description}
 * annotations (and {@code -parameters} names) on its interface. The interface must not overload
 * operation names. Thread-safe.
 */
public final class DescribedMXBean<T> extends StandardEmitterMBean {
  private final Class<T> iface;
  private final Map<String, OpenType<?>> passThrough;
  private volatile @Nullable MBeanInfo info;

  public DescribedMXBean(T impl, Class<T> iface, NotificationEmitter emitter) {
    this(impl, iface, emitter, Map.of());
  }

  /**
   * {@code passThrough} names parameterless operations that return open data ({@code TabularData}
   * or {@code CompositeData}) of the given type as is: the MXBean mapping would otherwise treat
   * those interfaces as beans and turn them into a CompositeData of their getters.
   */
  public DescribedMXBean(
      T impl, Class<T> iface, NotificationEmitter emitter, Map<String, OpenType<?>> passThrough) {
    super(impl, iface, true, emitter);
    this.iface = iface;
    this.passThrough = Map.copyOf(passThrough);
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    MBeanInfo i = info;
    if (i == null) {
      MBeanInfo base = super.getMBeanInfo();
      MBeanOperationInfo[] ops = base.getOperations().clone();
      for (int k = 0; k < ops.length; k++) {
        OpenType<?> type = passThrough.get(ops[k].getName());
        if (type != null && ops[k].getSignature().length == 0) {
          ops[k] =
              new OpenMBeanOperationInfoSupport(
                  ops[k].getName(),
                  ops[k].getDescription(),
                  new OpenMBeanParameterInfo[0],
                  type,
                  ops[k].getImpact());
        }
      }
      i =
          new MBeanInfo(
              base.getClassName(),
              base.getDescription(),
              base.getAttributes(),
              base.getConstructors(),
              ops,
              base.getNotifications(),
              base.getDescriptor());
      info = i;
    }
    return i;
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature)
      throws MBeanException, ReflectionException {
    if (passThrough.containsKey(actionName) && (params == null || params.length == 0)) {
      try {
        return iface.getMethod(actionName).invoke(getImplementation());
      } catch (InvocationTargetException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) {
          throw new RuntimeMBeanException(r, r.toString());
        }
        throw new MBeanException(
            c instanceof Exception x ? x : new Exception(c), String.valueOf(c));
      } catch (ReflectiveOperationException e) {
        throw new ReflectionException(e, actionName);
      }
    }
    return super.invoke(actionName, params, signature);
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

  private @Nullable Parameter parameter(MBeanOperationInfo op, int seq) {
    Method m = find(op.getName(), op.getSignature().length);
    return m == null ? null : m.getParameters()[seq];
  }

  private @Nullable Method find(String name, int params) {
    for (Method m : iface.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == params) {
        return m;
      }
    }
    return null;
  }
}
