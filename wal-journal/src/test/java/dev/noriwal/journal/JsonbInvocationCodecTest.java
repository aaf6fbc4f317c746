package dev.noriwal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The JSON-B codecs (Yasson on the test class path) through the symmetric codec interface. */
class JsonbInvocationCodecTest {
  private static final JsonbInvocationCodec JSON = JsonbInvocationCodec.json();
  private static final JsonbInvocationCodec JSONB = JsonbInvocationCodec.jsonb();

  @AfterAll
  static void close() {
    JSON.close();
    JSONB.close();
  }

  public static class Price {
    public String currency = "";
    public BigDecimal amount = BigDecimal.ZERO;
  }

  public static class Shop {
    public List<Price> quote(String item, int count) {
      return List.of();
    }

    public void forget(String item) {}

    public String take(String item, Object anything) {
      return item;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyAcceptedTypeRoundTripsThroughTheJsonCodec() {
    for (AcceptedTypes.Call c : AcceptedTypes.calls()) {
      Method m = c.method();
      assertArrayEquals(
          c.args(), JSON.decodeArguments(m, JSON.encodeArguments(m, c.args())), c.toString());
      byte[] result = JSON.encodeResult(m, c.result());
      if (m.getReturnType() == void.class) {
        assertNull(result);
      } else {
        assertEquals(c.result(), JSON.decodeResult(m, result), c.toString());
      }
    }
  }

  @Test
  void argumentsAreOneUtf8JsonArrayWithTheValuesOnly() throws Exception {
    Method quote = Shop.class.getMethod("quote", String.class, int.class);
    assertEquals(
        "[\"tée\",3]",
        new String(JSON.encodeArguments(quote, new Object[] {"tée", 3}), StandardCharsets.UTF_8));
    assertEquals("json", JSON.id());
    assertEquals("jsonb", JSONB.id());
  }

  @Test
  void theJsonbCodecAlsoBindsClassesWithAccessors() throws Exception {
    Method quote = Shop.class.getMethod("quote", String.class, int.class);
    Price p = new Price();
    p.currency = "EUR";
    p.amount = new BigDecimal("12.50");

    @SuppressWarnings("unchecked")
    List<Price> back =
        (List<Price>) JSONB.decodeResult(quote, JSONB.encodeResult(quote, List.of(p)));

    assertEquals(1, back.size());
    assertEquals("EUR", back.get(0).currency);
    assertEquals(new BigDecimal("12.50"), back.get(0).amount);
  }

  @Test
  void theJsonCodecRefusesATypeOutsideItsContractEvenForNull() throws Exception {
    Method take = Shop.class.getMethod("take", String.class, Object.class);
    JournalCodecException e =
        assertThrows(
            JournalCodecException.class,
            () -> JSON.encodeArguments(take, new Object[] {"a", null}));
    assertTrue(
        e.getMessage()
            .startsWith(
                "argument 1 (java.lang.Object) of take(java.lang.String,java.lang.Object): "),
        e.getMessage());
    assertThrows(JournalCodecException.class, () -> JSON.decodeArguments(take, utf8("[\"a\",1]")));
  }

  @Test
  void aVoidMethodHasNoResult() throws Exception {
    Method forget = Shop.class.getMethod("forget", String.class);

    assertNull(JSON.encodeResult(forget, null));
    assertNull(JSON.decodeResult(forget, utf8("null")));
  }

  @Test
  void bytesThatDoNotFitTheSignatureAreRefusedNamingTheParameter() throws Exception {
    Method quote = Shop.class.getMethod("quote", String.class, int.class);
    assertTrue(
        assertThrows(JournalCodecException.class, () -> JSON.decodeArguments(quote, utf8("[1]")))
            .getMessage()
            .contains("must be a JSON array of 2 elements, not 1"));
    assertThrows(JournalCodecException.class, () -> JSON.decodeArguments(quote, utf8("not json")));
    JournalCodecException e =
        assertThrows(
            JournalCodecException.class,
            () -> JSON.decodeArguments(quote, utf8("[\"tea\",\"many\"]")));
    assertTrue(
        e.getMessage().startsWith("argument 1 (int) of quote(java.lang.String,int): "),
        e.getMessage());
    JournalCodecException n =
        assertThrows(
            JournalCodecException.class, () -> JSON.decodeArguments(quote, utf8("[\"tea\",null]")));
    assertTrue(n.getMessage().contains("null for primitive int"), n.getMessage());
    JournalCodecException r =
        assertThrows(JournalCodecException.class, () -> JSONB.decodeResult(quote, utf8("{\"x\":")));
    assertTrue(r.getMessage().startsWith("result (java.util.List<"), r.getMessage());
  }
}
