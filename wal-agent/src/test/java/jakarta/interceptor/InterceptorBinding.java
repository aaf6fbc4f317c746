package jakarta.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Test stand-in with the name of Jakarta Interceptors' meta-annotation, so the agent's "skip
 * interceptor bindings" rule is tested without a Jakarta dependency.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface InterceptorBinding {}
