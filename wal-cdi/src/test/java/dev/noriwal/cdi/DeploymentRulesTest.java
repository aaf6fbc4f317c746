package dev.noriwal.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.noriwal.FsyncPolicy;
import dev.noriwal.jmx.settings.SettingSource;
import dev.noriwal.journal.JsonbInvocationCodec;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link DeploymentValidation} as the pure function it is: discovery's findings, a map of settings
 * and the codecs in, every numbered problem out. No container, no file touched.
 */
class DeploymentRulesTest {
  private final InvocationCodecs codecs = InvocationCodecs.load(getClass().getClassLoader());

  public static class Shop {
    public String order(String item, int count) {
      return item;
    }

    public void gift(Object anything) {}
  }

  private static Method method(String name, Class<?>... params) throws NoSuchMethodException {
    return Shop.class.getMethod(name, params);
  }

  @Test
  void validDeclarationsGiveEachLogItsSettingsAndEachMethodItsTarget() throws Exception {
    Discovered d = new Discovered();
    Method order = method("order", String.class, int.class);
    d.journaled(order, Shop.class, "orders", "json");
    d.use("audit", "@Durable at Shop#audit");
    SettingSource src =
        SettingSource.of(
            Map.of("nori.wal.base-dir", "/data", "nori.wal.orders.fsync", "always"), "test");

    DeploymentValidation.Result r = DeploymentValidation.validate(d, src, Set.of(), codecs);

    assertEquals(List.of(), r.problems());
    assertEquals(Set.of("audit", "orders"), r.settings().keySet());
    assertEquals(FsyncPolicy.always(), r.settings().get("orders").config().fsyncPolicy());
    assertEquals("orders", r.targets().get(order).log());
    assertEquals(JsonbInvocationCodec.JSON, r.targets().get(order).codec().id());
  }

  @Test
  void everyProblemOfTheDeploymentIsReportedAtOnceWithItsNumber() throws Exception {
    Discovered d = new Discovered();
    d.problems.add(Messages.privateMethod("Shop#hidden()"));
    d.journaled(method("order", String.class, int.class), Shop.class, "orders", "yaml");
    d.journaled(method("gift", Object.class), Shop.class, "gifts", "json");
    d.use("left", "@Durable at Shop#left");
    d.use("right", "@Durable at Shop#right");
    SettingSource src =
        SettingSource.of(
            Map.of(
                "nori.wal.base-dir", "/data",
                "nori.wal.orders.fsync", "sometimes",
                "nori.wal.orders.segment-size", "1KiB",
                "nori.wal.gifts.fsyn", "always",
                "nori.wal.left.directory", "/data/shared",
                "nori.wal.right.directory", "/data/shared"),
            "test");

    DeploymentValidation.Result r = DeploymentValidation.validate(d, src, Set.of(), codecs);

    List<String> numbers = r.problems().stream().map(p -> p.substring(0, 15)).sorted().toList();
    assertEquals(
        List.of(
            "NORIWAL-CDI-004",
            "NORIWAL-CDI-009",
            "NORIWAL-CDI-010",
            "NORIWAL-CDI-010",
            "NORIWAL-CDI-011",
            "NORIWAL-CDI-018"),
        numbers,
        r.problems().toString());
    assertTrue(
        r.problems().stream().anyMatch(p -> p.contains("did you mean nori.wal.gifts.fsync?")),
        r.problems().toString());
  }

  @Test
  void aCodecNamedInTheSettingsMustExist() throws Exception {
    Discovered d = new Discovered();
    d.journaled(method("order", String.class, int.class), Shop.class, "orders", "json");
    SettingSource src = SettingSource.of(Map.of("nori.wal.orders.codec", "yaml"), "test");

    DeploymentValidation.Result r = DeploymentValidation.validate(d, src, Set.of(), codecs);

    assertEquals(1, r.problems().size(), r.problems().toString());
    assertTrue(
        r.problems().get(0).startsWith("NORIWAL-CDI-010: setting nori.wal.orders.codec=yaml"));
  }

  @Test
  void keysUnderAContributedPrefixAreNotUnknown() {
    Discovered d = new Discovered();
    d.use("orders", "@Durable at Shop#orders");
    SettingSource src = SettingSource.of(Map.of("nori.wal.orders.kafka.topic", "t"), "test");

    assertEquals(
        List.of(), DeploymentValidation.validate(d, src, Set.of("kafka."), codecs).problems());
    assertEquals(1, DeploymentValidation.validate(d, src, Set.of(), codecs).problems().size());
  }
}
