package dev.noriwal.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/transfers}. A 201 is sent only after the transfer's event is durable in the ledger
 * log; any 4xx means nothing was written.
 */
@ApplicationScoped
@Path("api/transfers")
@Produces(MediaType.APPLICATION_JSON)
public class TransfersResource {
  // Field injection: RESTEasy insists on a public constructor it can call itself.
  @Inject LedgerStore store;
  @Inject LedgerCommands commands;

  /**
   * {@code {"from": "alice", "to": "bob", "amount": 250, "requestId": "optional, for retries"}};
   * 201 with the transfer id, its log position and both balances.
   */
  @POST
  public Response transfer(String body) {
    JsonBody b = JsonBody.parse(body);
    String from = b.requiredString("from");
    String to = b.requiredString("to");
    long amount = b.requiredCents("amount");
    LedgerCommands.Receipt r =
        commands.transfer(
            new LedgerCommands.Transfer(AccountsResource.commandId(b), from, to, amount));
    return Responses.json(
        201,
        Json.createObjectBuilder()
            .add("id", r.eventId())
            .add("position", r.position())
            .add(
                "from",
                Json.createObjectBuilder().add("id", from).add("balance", store.balanceOf(from)))
            .add("to", Json.createObjectBuilder().add("id", to).add("balance", store.balanceOf(to)))
            .add("amount", amount)
            .build());
  }

  /** The transfer with this id, if the ledger has it (404 otherwise). */
  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id) {
    LedgerStore.Committed c =
        store
            .find(id)
            .filter(e -> e.event() instanceof LedgerEvent.Transferred)
            .orElseThrow(
                () -> new LedgerException(404, "unknown_transfer", "no transfer \"" + id + "\""));
    return Responses.ok(
        Json.createObjectBuilder(c.event().toJson())
            .add("position", c.position().toString())
            .build());
  }
}
