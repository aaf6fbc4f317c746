package dev.noriwal.journal;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One method per group of the declared types {@link JsonTypes} accepts, with sample arguments and
 * results: the fixture every JSON codec test (and the agent's cross test) round-trips.
 */
public final class AcceptedTypes {
  private AcceptedTypes() {}

  public enum Color {
    RED,
    GREEN
  }

  public record Money(BigDecimal amount, String currency) {}

  public record Order(UUID id, List<Money> lines, Optional<String> note, Color color) {}

  public record Box(Money content, List<Money> more) {}

  public record Node(String name, Node next) {}

  /** The declared types, as a journaled bean would declare them. */
  @SuppressWarnings("unused")
  public static class Api {
    public String scalars(
        String s, char c, boolean b, byte by, short sh, int i, long l, float f, double d) {
      return s;
    }

    public Long boxes(
        Character c, Boolean b, Byte by, Short sh, Integer i, Long l, Float f, Double d) {
      return l;
    }

    public BigDecimal big(BigDecimal d, BigInteger i, Color e, UUID u) {
      return d;
    }

    public Duration times(
        Instant t,
        LocalDate day,
        LocalTime time,
        LocalDateTime local,
        OffsetDateTime offset,
        ZonedDateTime zoned,
        Duration d) {
      return d;
    }

    public double specialDoubles(double nan, double inf, Double negInf, float floatNan) {
      return nan;
    }

    public Map<String, List<Money>> containers(
        byte[] raw,
        String[] names,
        int[] counts,
        List<Integer> ints,
        Set<String> tags,
        Collection<Long> longs,
        Map<String, List<Money>> byName,
        Optional<Money> maybe,
        Optional<String> empty,
        List<? extends Color> colors,
        Money[][] grid) {
      return byName;
    }

    public Order records(Order order, Box box, Node node) {
      return order;
    }

    public Optional<Money> nulls(String s, List<String> l, Money m, Integer i, int[] a) {
      return Optional.empty();
    }

    public void nothing() {}
  }

  /** A call of {@link Api}: its method, arguments and the result it returned. */
  // The arguments are compared with assertArrayEquals, never through the record's equals.
  @SuppressWarnings("ArrayRecordComponent")
  public record Call(Method method, Object[] args, Object result) {
    @Override
    public String toString() {
      return method.getName() + Arrays.deepToString(args);
    }
  }

  /** A sample call of every method of {@link Api}. */
  public static List<Call> calls() {
    Money tea = new Money(new BigDecimal("3.50"), "EUR");
    Money cake = new Money(new BigDecimal("12"), "GBP");
    Order order =
        new Order(
            UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"),
            List.of(tea, cake),
            Optional.of("by noon"),
            Color.GREEN);
    Map<String, List<Money>> byName = Map.of("amy", List.of(tea), "ben", List.of());
    Instant t = Instant.parse("2026-12-01T07:15:30.123456789Z");
    List<Call> calls = new ArrayList<>();
    calls.add(
        call(
            "scalars",
            "héllo \"quoted\"\n",
            "héllo \"quoted\"\n",
            'ß',
            true,
            (byte) -7,
            (short) 300,
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            0.1f,
            -2.5e-300));
    calls.add(call("boxes", 42L, 'x', false, (byte) 1, (short) -2, 3, 42L, 1.5f, null));
    calls.add(
        call(
            "big",
            new BigDecimal("-12345678901234567890.000000000000000001"),
            new BigDecimal("-12345678901234567890.000000000000000001"),
            new BigInteger("123456789012345678901234567890"),
            Color.RED,
            UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
    calls.add(
        call(
            "times",
            Duration.ofSeconds(90061, 5),
            t,
            LocalDate.of(2026, 2, 28),
            LocalTime.of(23, 59, 58, 1_000_000),
            LocalDateTime.of(2026, 12, 1, 8, 0),
            OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.ofHours(-5)),
            ZonedDateTime.of(2026, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")),
            Duration.ofSeconds(90061, 5)));
    calls.add(
        call(
            "specialDoubles",
            Double.NaN,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Float.NaN));
    calls.add(
        call(
            "containers",
            byName,
            new byte[] {0, -1, 127, -128},
            new String[] {"a", null, ""},
            new int[] {1, 2, 3},
            List.of(1, 2, 3),
            new LinkedHashSet<>(List.of("x", "y")),
            List.of(5L, 6L),
            byName,
            Optional.of(tea),
            Optional.empty(),
            List.of(Color.GREEN, Color.RED),
            new Money[][] {{tea}, {}, {cake, tea}}));
    calls.add(
        call(
            "records",
            order,
            order,
            new Box(cake, List.of(tea)),
            new Node("a", new Node("b", null))));
    calls.add(call("nulls", Optional.empty(), null, null, null, null, null));
    calls.add(call("nothing", null));
    return calls;
  }

  private static Call call(String name, Object result, Object... args) {
    for (Method m : Api.class.getMethods()) {
      if (m.getName().equals(name)) {
        return new Call(m, args, result);
      }
    }
    throw new IllegalArgumentException("no method " + name);
  }
}
