package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonInvocationCodecTest {

  enum Color {
    RED,
    GREEN
  }

  record Money(BigDecimal amount, String currency) {}

  // An array component on purpose: arrays are among the types the codec must carry.
  @SuppressWarnings("ArrayRecordComponent")
  record Order(UUID id, List<Money> lines, Optional<String> note, Color color, int[] counts) {}

  record Box<T>(T content, List<T> more) {}

  record Node(String name, Node next) {}

  @SuppressWarnings("unused")
  static class Api {
    void scalars(
        String s, char c, boolean b, byte by, short sh, int i, long l, float f, double d) {}

    void boxes(Character c, Boolean b, Byte by, Short sh, Integer i, Long l, Float f, Double d) {}

    void big(BigDecimal d, BigInteger i, Color e, UUID u, Instant t, LocalDate day) {}

    void containers(
        byte[] raw,
        String[] names,
        List<Integer> ints,
        Set<String> tags,
        Collection<Long> longs,
        Map<String, List<Money>> byName,
        Optional<Money> maybe,
        List<? extends Color> colors) {}

    Order records(Order order, Box<Money> box, Node node) {
      return order;
    }

    void doubles(double nan, double inf, double negInf, double negZero) {}

    void bad(String ok, Object anything) {}

    void rawList(@SuppressWarnings("rawtypes") List raw) {}

    void intKeys(Map<Integer, String> m) {}

    <T> void generic(T t) {}

    void objects(List<Object> objects) {}

    void withThread(Thread t) {}

    void run() {}

    String name() {
      return null;
    }
  }

  private final JsonInvocationCodec codec = JsonInvocationCodec.instance();

  private static Method method(String name) {
    return Arrays.stream(Api.class.getDeclaredMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private Object[] roundTrip(String name, Object... args) {
    Method m = method(name);
    String json = codec.encodeArguments(m, args);
    return codec.decodeArguments(m, json);
  }

  @Test
  void scalarsRoundTripExactly() {
    Object[] args = {
      "hé \"q\" \n\u0001", 'x', true, (byte) -3, (short) 300, 42, Long.MAX_VALUE, 1.5f, 0.1
    };
    Method m = method("scalars");
    String json = codec.encodeArguments(m, args);
    assertEquals(
        "[\"hé \\\"q\\\" \\n\\u0001\",\"x\",true,-3,300,42,9223372036854775807,1.5,0.1]", json);
    assertArrayEquals(args, codec.decodeArguments(m, json));
  }

  @Test
  void boxesAllowNull() {
    Object[] args = {'y', null, (byte) 1, null, 7, -8L, null, 2.25};
    assertArrayEquals(args, roundTrip("boxes", args));
  }

  @Test
  void bigNumbersEnumsAndTimesRoundTrip() {
    Object[] args = {
      new BigDecimal("12345678901234567890.000000000001"),
      new BigInteger("-987654321098765432109876543210"),
      Color.GREEN,
      UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
      Instant.parse("2026-11-26T10:15:30.123456789Z"),
      LocalDate.of(2026, 2, 28)
    };
    assertArrayEquals(args, roundTrip("big", args));
  }

  @Test
  void containersRoundTripWithTypesFromTheSignature() {
    Map<String, List<Money>> byName = new LinkedHashMap<>();
    byName.put("a", List.of(new Money(new BigDecimal("1.10"), "EUR")));
    byName.put("b", List.of());
    Object[] args = {
      new byte[] {0, 1, -1, 127},
      new String[] {"x", null},
      List.of(1, 2, 3),
      Set.of("t"),
      List.of(5L),
      byName,
      Optional.of(new Money(BigDecimal.TEN, "USD")),
      List.of(Color.RED)
    };
    Object[] back = roundTrip("containers", args);
    assertArrayEquals((byte[]) args[0], (byte[]) back[0]);
    assertArrayEquals((String[]) args[1], (String[]) back[1]);
    for (int i = 2; i < args.length; i++) {
      assertEquals(args[i], back[i], "argument " + i);
    }
  }

  @Test
  void recordsIncludingGenericAndRecursiveOnesRoundTrip() {
    Order order =
        new Order(
            UUID.randomUUID(),
            List.of(new Money(new BigDecimal("9.99"), "EUR")),
            Optional.empty(),
            Color.RED,
            new int[] {1, 2});
    Box<Money> box = new Box<>(new Money(BigDecimal.ONE, "CHF"), List.of());
    Node node = new Node("a", new Node("b", null));
    Method m = method("records");
    String json = codec.encodeArguments(m, new Object[] {order, box, node});
    assertTrue(json.contains("\"currency\":\"EUR\""), json);
    assertFalse(json.contains("Money"), "no class names in the data: " + json);
    Object[] back = codec.decodeArguments(m, json);
    Order o = (Order) back[0];
    assertEquals(order.id(), o.id());
    assertEquals(order.lines(), o.lines());
    assertEquals(Optional.empty(), o.note());
    assertArrayEquals(order.counts(), o.counts());
    assertEquals(box, back[1]);
    assertEquals(node, back[2]);
    assertEquals(json.substring(1, json.indexOf(",{\"content\"")), codec.encodeResult(m, order));
  }

  @Test
  void specialDoublesSurvive() {
    Object[] back =
        roundTrip("doubles", Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0);
    assertTrue(Double.isNaN((Double) back[0]));
    assertEquals(Double.POSITIVE_INFINITY, back[1]);
    assertEquals(Double.NEGATIVE_INFINITY, back[2]);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) back[3]));
  }

  @Test
  void unsupportedParameterIsNamedByIndexAndType() {
    JournalCodecException e =
        assertThrows(
            JournalCodecException.class,
            () ->
                codec.encodeArguments(
                    method("bad"), new Object[] {"fine", "a string at run time"}));
    assertTrue(
        e.getMessage()
            .startsWith("argument 1 (java.lang.Object) of bad(java.lang.String,java.lang.Object)"),
        e.getMessage());
  }

  @Test
  void unsupportedTypesAreRefusedEvenForNull() {
    assertThrows(
        JournalCodecException.class,
        () -> codec.encodeArguments(method("bad"), new Object[] {"a", null}));
    assertThrows(
        JournalCodecException.class,
        () -> codec.encodeArguments(method("withThread"), new Object[] {null}));
  }

  @Test
  void canEncodeChecksSignaturesUpFront() {
    assertTrue(JsonInvocationCodec.canEncode(method("containers").getGenericParameterTypes()[5]));
    assertTrue(JsonInvocationCodec.canEncode(method("records").getGenericParameterTypes()[2]));
    assertTrue(JsonInvocationCodec.canEncode(int.class));
    assertFalse(JsonInvocationCodec.canEncode(Object.class));
    assertFalse(JsonInvocationCodec.canEncode(method("rawList").getGenericParameterTypes()[0]));
    assertFalse(JsonInvocationCodec.canEncode(method("intKeys").getGenericParameterTypes()[0]));
    assertFalse(JsonInvocationCodec.canEncode(method("generic").getGenericParameterTypes()[0]));
    assertFalse(JsonInvocationCodec.canEncode(method("objects").getGenericParameterTypes()[0]));
    assertFalse(JsonInvocationCodec.canEncode(Thread.class));
  }

  @Test
  void nestedProblemsNameThePath() {
    Method m = method("containers");
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Integer> smuggled = (List) List.of(1, "two");
    JournalCodecException e =
        assertThrows(
            JournalCodecException.class,
            () ->
                codec.encodeArguments(
                    m,
                    new Object[] {null, null, smuggled, null, null, null, Optional.empty(), null}));
    assertTrue(
        e.getMessage().startsWith("argument 2 (java.util.List<java.lang.Integer>)"),
        e.getMessage());
    assertTrue(e.getMessage().contains(" at [1]"), e.getMessage());
  }

  @Test
  void decodingRefusesDataThatDoesNotFitTheSignature() {
    Method m = method("scalars");
    assertThrows(JournalCodecException.class, () -> codec.decodeArguments(m, "[1]"));
    assertThrows(JournalCodecException.class, () -> codec.decodeArguments(m, "not json"));
    JournalCodecException e =
        assertThrows(
            JournalCodecException.class,
            () -> codec.decodeArguments(m, "[\"s\",\"c\",true,1000,1,1,1,1,1]"));
    assertTrue(e.getMessage().startsWith("argument 3 (byte)"), e.getMessage());
    assertThrows(
        JournalCodecException.class,
        () -> codec.decodeArguments(method("big"), "[1,1,\"BLUE\",null,null,null]"));
  }

  @Test
  void resultsAreJsonTextAndVoidIsNull() {
    assertNull(codec.encodeResult(method("run"), null));
    assertEquals("null", codec.encodeResult(method("name"), null));
    assertEquals("\"n\"", codec.encodeResult(method("name"), "n"));
    assertEquals("n", codec.decodeResult(method("name"), "\"n\""));
  }

  @Test
  void idIsJson() {
    assertEquals("json", codec.id());
  }
}
