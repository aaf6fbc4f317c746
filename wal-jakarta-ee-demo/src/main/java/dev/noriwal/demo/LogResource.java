package dev.noriwal.demo;

import dev.noriwal.RecoveryInfo;
import dev.noriwal.Wal;
import dev.noriwal.WalStats;
import dev.noriwal.cdi.Durable;
import dev.noriwal.jmx.WalService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/journal}, {@code /api/stats}, {@code /api/recovery}: the logs themselves. */
@ApplicationScoped
@Path("api")
@Produces(MediaType.APPLICATION_JSON)
public class LogResource {
  static final int MAX_JOURNAL_LIMIT = 10_000;

  // Field injection: RESTEasy insists on a public constructor it can call itself.
  @Inject LedgerStore store;
  @Inject StartupRecovery recovery;

  @Inject
  @Durable(LedgerCommands.JOURNAL)
  Wal commandsLog;

  /**
   * The deployment's service: its MBean names carry an instance key when the WAR brings wal-jmx.
   */
  @Inject WalService service;

  /** The latest ledger events, newest first, read from the ledger log. */
  @GET
  @Path("journal")
  public Response journal(@QueryParam("limit") @DefaultValue("20") String limitParam) {
    int limit;
    try {
      limit = Integer.parseInt(limitParam.trim());
    } catch (NumberFormatException e) {
      throw LedgerException.badRequest("invalid_limit", "limit must be a number: " + limitParam);
    }
    if (limit < 1 || limit > MAX_JOURNAL_LIMIT) {
      throw LedgerException.badRequest(
          "invalid_limit", "limit must be between 1 and " + MAX_JOURNAL_LIMIT + ": " + limit);
    }
    JsonArrayBuilder entries = Json.createArrayBuilder();
    for (LedgerStore.Committed c : store.latest(limit)) {
      entries.add(
          Json.createObjectBuilder(c.event().toJson()).add("position", c.position().toString()));
    }
    return Responses.ok(
        Json.createObjectBuilder().add("events", store.events()).add("entries", entries).build());
  }

  /** Live statistics of both logs ({@code Wal.stats()}) and the ledger's totals. */
  @GET
  @Path("stats")
  public Response stats() {
    return Responses.ok(
        Json.createObjectBuilder()
            .add("ledger", logStats(store.log(), service.logObjectName("ledger").toString()))
            .add(
                "commands",
                logStats(commandsLog, service.logObjectName(LedgerCommands.JOURNAL).toString()))
            .add(
                "totals",
                Json.createObjectBuilder()
                    .add("accounts", store.balances().size())
                    .add("money", store.total())
                    .add("events", store.events()))
            .add("pid", ProcessHandle.current().pid())
            .build());
  }

  /** What startup recovered: the ledger replay and the in-flight commands. */
  @GET
  @Path("recovery")
  public Response recovery() {
    StartupRecovery.Report r = recovery.report();
    LedgerStore.Replay l = r.ledger();
    RecoveryInfo engine = l.engine();
    JsonArrayBuilder inFlight = Json.createArrayBuilder();
    for (StartupRecovery.InFlight f : r.inFlight()) {
      JsonObjectBuilder o =
          Json.createObjectBuilder()
              .add("invocationId", f.invocationId())
              .add("method", f.method())
              .add("startedAt", f.startedAt().toString())
              .add("arguments", f.arguments())
              .add("outcome", f.outcome().name())
              .add("detail", f.detail());
      if (f.commandId() != null) {
        o.add("commandId", f.commandId());
      }
      inFlight.add(o);
    }
    return Responses.ok(
        Json.createObjectBuilder()
            .add("startedAt", r.startedAt().toString())
            .add(
                "ledger",
                Json.createObjectBuilder()
                    .add("records", l.records())
                    .add("events", l.events())
                    .add("undecodable", l.undecodable())
                    .add("millis", l.took().toMillis())
                    .add("engine", engine(engine)))
            .add("journalRecoveryEvent", r.journalSeen())
            .add("inFlight", inFlight)
            .build());
  }

  private static JsonObject engine(RecoveryInfo i) {
    return Json.createObjectBuilder()
        .add("action", i.action().name())
        .add("validRecords", i.validRecords())
        .add("segmentsScanned", i.segmentsScanned())
        .add("bytesScanned", i.bytesScanned())
        .add("bytesTruncated", i.bytesTruncated())
        .add("scanSkipped", i.scanSkipped())
        .add("clean", i.isClean())
        .add("millis", i.duration().toMillis())
        .build();
  }

  private static JsonObject logStats(Wal wal, String objectName) {
    WalStats s = wal.stats();
    return Json.createObjectBuilder()
        .add("mbean", objectName)
        .add("directory", wal.config().directory().toString())
        .add("fsync", wal.config().fsyncPolicy().toString())
        .add("state", s.state().name())
        .add("recordsAppended", s.recordsAppended())
        .add("bytesAppended", s.bytesAppended())
        .add("fsyncCount", s.fsyncCount())
        .add(
            "fsyncAvgMicros", s.fsyncCount() == 0 ? 0 : s.fsyncTotalNanos() / s.fsyncCount() / 1000)
        .add("fsyncMaxMicros", s.fsyncMaxNanos() / 1000)
        .add("segmentCount", s.segmentCount())
        .add("activeSegmentId", s.activeSegmentId())
        .add("bytesOnDisk", s.bytesOnDisk())
        .add("currentPosition", s.currentPosition().toString())
        .add("durablePosition", s.durablePosition().toString())
        .add("rotations", s.rotations())
        .build();
  }
}
