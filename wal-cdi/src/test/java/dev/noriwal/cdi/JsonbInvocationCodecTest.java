package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.journal.InvocationCodec;
import dev.noriwal.journal.JournalCodecException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON-B codec (Yasson on the test class path) through the symmetric codec interface. */
class JsonbInvocationCodecTest {
  private final InvocationCodec codec = new JsonbInvocationCodec();

  public static class Price {
    public String currency = "";
    public BigDecimal amount = BigDecimal.ZERO;
  }

  public static class Shop {
    public List<Price> quote(String item, int count) {
      return List.of();
    }

    public void forget(String item) {}
  }

  @Test
  void argumentsAndResultsRoundTripThroughTheDeclaredTypes() throws Exception {
    Method quote = Shop.class.getMethod("quote", String.class, int.class);
    Price p = new Price();
    p.currency = "EUR";
    p.amount = new BigDecimal("12.50");

    String args = codec.encodeArguments(quote, new Object[] {"tea", 3});
    assertArrayEquals(new Object[] {"tea", 3}, codec.decodeArguments(quote, args));

    String result = codec.encodeResult(quote, List.of(p));
    @SuppressWarnings("unchecked")
    List<Price> back = (List<Price>) codec.decodeResult(quote, String.valueOf(result));
    assertEquals(1, back.size());
    assertEquals("EUR", back.get(0).currency);
    assertEquals(new BigDecimal("12.50"), back.get(0).amount);
  }

  @Test
  void aVoidMethodHasNoResult() throws Exception {
    Method forget = Shop.class.getMethod("forget", String.class);

    assertNull(codec.encodeResult(forget, null));
    assertNull(codec.decodeResult(forget, "null"));
  }

  @Test
  void aResultThatDoesNotFitItsTypeIsRefusedNamingTheType() throws Exception {
    Method quote = Shop.class.getMethod("quote", String.class, int.class);

    JournalCodecException e =
        assertThrows(JournalCodecException.class, () -> codec.decodeResult(quote, "{\"x\":"));
    assertTrue(String.valueOf(e.getMessage()).contains("java.util.List"), e.getMessage());
  }
}
