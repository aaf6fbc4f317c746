package dev.noriwal.quarkus.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.noriwal.Wal;
import dev.noriwal.WalRecord;
import dev.noriwal.WalState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** SmallRye Health sees one readiness and one liveness check per log of the application. */
@QuarkusTest
@QuarkusTestResource(CrashedJournal.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthTest {
  @Inject Scratch scratch;

  @Test
  @Order(1)
  void everyLogIsReadyWithItsStateAndPosition() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItems("nori-wal-orders", "nori-wal-commands"))
        .body("checks.find { it.name == 'nori-wal-orders' }.data.state", equalTo("OPEN"))
        .body("checks.find { it.name == 'nori-wal-orders' }.data.position", notNullValue());
  }

  @Test
  @Order(2)
  void everyLogIsLive() {
    given()
        .when()
        .get("/q/health/live")
        .then()
        .statusCode(200)
        .body("checks.name", hasItems("nori-wal-orders", "nori-wal-commands"));
  }

  /** Last: it leaves the scratch log failed for the rest of the application's life. */
  @Test
  @Order(3)
  void aFailedLogIsNeitherReadyNorLiveAndSaysWhy() throws Exception {
    Wal wal = scratch.wal();
    Path dir = wal.config().directory();
    wal.append(WalRecord.put(new byte[] {1}, new byte[] {2}));
    // The directory vanishes under the open log: the next rotation cannot rename its new segment
    // into place, which fences the log.
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    // The rotation is carried out by the log's writer: keep rotating and syncing until the failed
    // rename has fenced the log (bounded; it takes one round here).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (wal.state() != WalState.FAILED && System.nanoTime() < deadline) {
      try {
        wal.append(WalRecord.put(new byte[] {3}, new byte[] {4}));
        wal.rotate();
        wal.sync();
      } catch (IOException expected) {
        // LogFailedException once fenced
      }
    }
    assertEquals(WalState.FAILED, wal.state());

    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("status", equalTo("DOWN"))
        .body("checks.find { it.name == 'nori-wal-scratch' }.status", equalTo("DOWN"))
        .body("checks.find { it.name == 'nori-wal-scratch' }.data.state", equalTo("FAILED"))
        .body("checks.find { it.name == 'nori-wal-scratch' }.data.failure", notNullValue())
        .body("checks.find { it.name == 'nori-wal-orders' }.status", equalTo("UP"));
    given()
        .when()
        .get("/q/health/live")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'nori-wal-scratch' }.status", equalTo("DOWN"));
  }
}
