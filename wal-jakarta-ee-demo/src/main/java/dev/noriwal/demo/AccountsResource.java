package dev.noriwal.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;

/** {@code /api/accounts}: list and open accounts, deposit and withdraw. Amounts are cents. */
@ApplicationScoped
@Path("api/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {
  // Field injection: RESTEasy insists on a public constructor it can call itself.
  @Inject LedgerStore store;
  @Inject LedgerCommands commands;

  @GET
  public Response list() {
    Map<String, Long> balances = store.balances();
    JsonArrayBuilder accounts = Json.createArrayBuilder();
    balances.forEach(
        (id, balance) ->
            accounts.add(Json.createObjectBuilder().add("id", id).add("balance", balance)));
    long total = balances.values().stream().mapToLong(Long::longValue).sum();
    return Responses.ok(
        Json.createObjectBuilder().add("accounts", accounts).add("total", total).build());
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") String id) {
    return Responses.ok(account(id, store.balanceOf(id)));
  }

  /** {@code {"id": "alice", "initialBalance": 10000}}; 201 with the account. */
  @POST
  public Response open(String body) {
    JsonBody b = JsonBody.parse(body);
    String id = b.requiredString("id");
    Ledger.requireAccountId(id);
    long initial = b.optionalCents("initialBalance", 0);
    LedgerCommands.Receipt r =
        commands.openAccount(new LedgerCommands.OpenAccount(commandId(b), id, initial));
    return Responses.json(
        201,
        Json.createObjectBuilder(account(id, store.balanceOf(id)))
            .add("eventId", r.eventId())
            .add("position", r.position())
            .build());
  }

  /** {@code {"amount": 500}}. */
  @POST
  @Path("{id}/deposits")
  public Response deposit(@PathParam("id") String id, String body) {
    JsonBody b = JsonBody.parse(body);
    long amount = b.requiredCents("amount");
    LedgerCommands.Receipt r =
        commands.deposit(new LedgerCommands.Deposit(commandId(b), id, amount));
    return receipt(id, r);
  }

  /** {@code {"amount": 500}}; 422 if the balance does not cover it. */
  @POST
  @Path("{id}/withdrawals")
  public Response withdraw(@PathParam("id") String id, String body) {
    JsonBody b = JsonBody.parse(body);
    long amount = b.requiredCents("amount");
    LedgerCommands.Receipt r =
        commands.withdraw(new LedgerCommands.Withdrawal(commandId(b), id, amount));
    return receipt(id, r);
  }

  private Response receipt(String id, LedgerCommands.Receipt r) {
    return Responses.ok(
        Json.createObjectBuilder(account(id, store.balanceOf(id)))
            .add("eventId", r.eventId())
            .add("position", r.position())
            .build());
  }

  private static JsonObject account(String id, long balance) {
    return Json.createObjectBuilder().add("id", id).add("balance", balance).build();
  }

  /** The client's {@code requestId} (for safe retries), or a fresh one. */
  static String commandId(JsonBody b) {
    String id = b.optionalString("requestId", null);
    if (id == null) {
      return UUID.randomUUID().toString();
    }
    if (id.isBlank() || id.length() > 100) {
      throw LedgerException.badRequest(
          "invalid_field", "field \"requestId\" must be 1 to 100 characters");
    }
    return id;
  }
}
