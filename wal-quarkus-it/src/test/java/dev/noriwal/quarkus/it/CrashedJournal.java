package dev.noriwal.quarkus.it;

import dev.noriwal.Wal;
import dev.noriwal.WalConfig;
import dev.noriwal.journal.Journal;
import dev.noriwal.journal.JsonbInvocationCodec;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Before the application starts: a base directory whose "commands" journal holds the invocation of
 * {@code Orders.place("tea", 3)} and nothing after it, as a crash inside the call leaves it.
 */
public class CrashedJournal implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    try {
      Path base = Files.createTempDirectory("wal-quarkus-it");
      Method place = Orders.class.getMethod("place", String.class, int.class);
      try (Wal wal = Wal.open(WalConfig.builder(base.resolve("commands")).build());
          JsonbInvocationCodec json = JsonbInvocationCodec.json()) {
        Journal.begin(wal, json, Orders.class, place, new Object[] {"tea", 3});
      }
      return Map.of("nori.wal.base-dir", base.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {}
}
