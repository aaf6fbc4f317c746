package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTypesTest {

  public record Holder<T>(T value) {}

  public record Bad(String name, Object payload) {}

  @SuppressWarnings({"unused", "rawtypes"})
  static class Api {
    void rawList(List raw) {}

    void intKeys(Map<Integer, String> m) {}

    <T> void generic(T t) {}

    void objects(List<Object> objects) {}

    void thread(Thread t) {}

    void lowerBound(List<? super Integer> l) {}

    void unboundHolder(Holder<?> h) {}

    void holder(Holder<String> h) {}

    void badRecord(List<Bad> bad) {}

    Object result() {
      return null;
    }
  }

  private static Type param(String name) {
    for (Method m : Api.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m.getGenericParameterTypes()[0];
      }
    }
    throw new IllegalArgumentException(name);
  }

  @Test
  void everyDeclaredTypeOfTheFixtureIsAccepted() {
    for (AcceptedTypes.Call c : AcceptedTypes.calls()) {
      JsonTypes.requireSupportedParameters(c.method());
      JsonTypes.requireSupportedResult(c.method());
    }
  }

  @Test
  void typesThatNameNoConcreteShapeAreRefusedWithTheReason() {
    assertEquals(
        Optional.of("raw type java.util.List gives no element type; declare its type argument"),
        JsonTypes.unsupportedReason(param("rawList")));
    assertEquals(
        Optional.of("map keys must be String, not java.lang.Integer"),
        JsonTypes.unsupportedReason(param("intKeys")));
    assertEquals(
        Optional.of("type variable T gives no concrete type"),
        JsonTypes.unsupportedReason(param("generic")));
    assertTrue(
        JsonTypes.unsupportedReason(param("objects")).orElseThrow().contains("java.lang.Object"));
    assertTrue(
        JsonTypes.unsupportedReason(param("thread")).orElseThrow().contains("java.lang.Thread"));
    assertTrue(
        JsonTypes.unsupportedReason(param("lowerBound")).orElseThrow().contains("lower bound"));
    assertTrue(JsonTypes.unsupportedReason(param("unboundHolder")).isPresent());
    assertTrue(
        JsonTypes.unsupportedReason(param("holder")).orElseThrow().startsWith("generic record "));
    assertTrue(
        JsonTypes.unsupportedReason(param("badRecord"))
            .orElseThrow()
            .startsWith("record component " + Bad.class.getName() + ".payload: "));
  }

  @Test
  void requireSupportedNamesTheParameterOrTheResult() throws Exception {
    JournalCodecException p =
        assertThrows(
            JournalCodecException.class,
            () ->
                JsonTypes.requireSupportedParameters(
                    Api.class.getDeclaredMethod("thread", Thread.class)));
    assertTrue(
        p.getMessage().startsWith("argument 0 (java.lang.Thread) of thread(java.lang.Thread): "),
        p.getMessage());
    JournalCodecException r =
        assertThrows(
            JournalCodecException.class,
            () -> JsonTypes.requireSupportedResult(Api.class.getDeclaredMethod("result")));
    assertTrue(
        r.getMessage().startsWith("result (java.lang.Object) of result(): "), r.getMessage());
  }
}
