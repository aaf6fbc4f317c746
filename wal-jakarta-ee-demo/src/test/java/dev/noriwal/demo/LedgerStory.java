package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;

/**
 * The story every server the WAR runs on is told first: the page, two accounts, a transfer, and the
 * refusals that change nothing (unknown account 404, overdraft 422, malformed JSON 400). Account
 * names carry a run id, because a server's data directory may outlive one test run.
 */
final class LedgerStory {
  final String ann;
  final String bob;
  final String transferId;

  private LedgerStory(String ann, String bob, String transferId) {
    this.ann = ann;
    this.bob = bob;
    this.transferId = transferId;
  }

  /** Runs the story against {@code api}; afterwards ann holds 7,500 and bob 2,500. */
  static LedgerStory tell(Api api, String run) throws Exception {
    String ann = "ann-" + run;
    String bob = "bob-" + run;
    assertTrue(api.get("").body().contains("nori-wal ledger"), "the page is served at the root");
    assertEquals(
        201,
        api.post("api/accounts", "{\"id\":\"" + ann + "\",\"initialBalance\":10000}").status());
    assertEquals(201, api.post("api/accounts", "{\"id\":\"" + bob + "\"}").status());
    Api.Reply t =
        api.post(
            "api/transfers", "{\"from\":\"" + ann + "\",\"to\":\"" + bob + "\",\"amount\":2500}");
    assertEquals(201, t.status(), t.body());
    assertEquals(
        404,
        api.post(
                "api/transfers",
                "{\"from\":\"" + ann + "\",\"to\":\"nobody-" + run + "\",\"amount\":1}")
            .status());
    Api.Reply overdraft =
        api.post(
            "api/transfers", "{\"from\":\"" + bob + "\",\"to\":\"" + ann + "\",\"amount\":999999}");
    assertEquals(422, overdraft.status());
    assertEquals("insufficient_funds", overdraft.json().getString("error"));
    assertEquals(400, api.post("api/transfers", "{not json").status());
    assertEquals("malformed_json", api.post("api/transfers", "[1,2").json().getString("error"));
    assertEquals(7500, balance(api, ann));
    assertEquals(2500, balance(api, bob));
    return new LedgerStory(ann, bob, t.json().getString("id"));
  }

  /** How many ledger events the log holds now (read before a restart, checked after it). */
  static long events(Api api) throws Exception {
    return api.json("api/journal?limit=1").getJsonNumber("events").longValueExact();
  }

  /**
   * After a clean restart of the server: the balances and the transfer came back from the log,
   * recovery replayed every event, found nothing in flight and the clean-shutdown marker; a new
   * transfer is accepted (ann then holds 8,000, bob 2,000).
   */
  void cameBackAfterACleanRestart(Api api, long eventsBefore) throws Exception {
    assertEquals(7500, balance(api, ann));
    assertEquals(2500, balance(api, bob));
    assertEquals(
        2500, api.json("api/transfers/" + transferId).getJsonNumber("amount").longValueExact());
    JsonObject recovery = api.json("api/recovery");
    assertEquals(
        eventsBefore,
        recovery.getJsonObject("ledger").getJsonNumber("events").longValueExact(),
        recovery.toString());
    assertEquals(0, recovery.getJsonArray("inFlight").size(), recovery.toString());
    assertTrue(
        recovery.getJsonObject("ledger").getJsonObject("engine").getBoolean("clean"),
        "a clean stop closes the logs cleanly: " + recovery);
    assertEquals(
        201,
        api.post(
                "api/transfers", "{\"from\":\"" + bob + "\",\"to\":\"" + ann + "\",\"amount\":500}")
            .status());
    assertEquals(8000, balance(api, ann));
  }

  static long balance(Api api, String account) throws Exception {
    return api.json("api/accounts/" + account).getJsonNumber("balance").longValueExact();
  }
}
