package org.kinlink.gateway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AccessTokens;
import org.kinlink.gateway.auth.Sessions;
import org.kinlink.gateway.calls.CallSettings;
import org.kinlink.gateway.contacts.ContactsService;
import org.kinlink.gateway.crypto.SecretHasher;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.identity.Role;
import org.kinlink.gateway.people.Clearance;
import org.kinlink.gateway.people.Directory;
import org.kinlink.gateway.people.Establishment;
import org.kinlink.gateway.people.PersonKind;
import org.kinlink.gateway.people.PersonOutside;
import org.kinlink.gateway.people.PrisonNumber;
import org.kinlink.gateway.people.Prisoner;
import org.kinlink.gateway.people.PrisonerFlag;
import org.kinlink.gateway.people.StaffAccount;

/**
 * People, contacts and calls for {@code kinlink bench calls}, written into the directory of the
 * bench's own node. Sessions are opened in process (the sessions store and the node's token key),
 * not through sign-in: the bench measures calls, and thousands of Argon2 checks on a shared 2-core
 * machine would only lengthen the setup. Contacts are proposed and approved through the contacts
 * service (versioned and audited as staff would make them); calls are booked, approved and joined
 * over HTTP as clients do.
 */
final class CallsBenchFixtures {
  /** One signed-in person: their id, display name and access token. */
  record Person(String id, String name, String token) {}

  /**
   * A booked call: its id, the contact it is on, the people who join with an account (the prisoner
   * first), and the child who joins with a one-time link (null for a two-party call).
   */
  record Call(String id, String contactId, List<Person> accounts, String childId) {
    int participants() {
      return accounts.size() + (childId == null ? 0 : 1);
    }
  }

  private final Gateway node;
  private final Directory directory;
  private final ContactsService contacts;
  private final Sessions sessions;
  private final AccessTokens tokens;
  private final Clock clock;
  private final String pinHash;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger next = new AtomicInteger();
  final String establishment;
  final Principal admin;
  final String officerToken;

  private CallsBenchFixtures(Gateway node, Vertx vertx, String establishment, Duration tokenLife) {
    this.node = node;
    this.directory = node.services().directory();
    this.contacts = node.services().contacts().service();
    this.clock = node.services().clock();
    this.sessions = new Sessions(node.services().redis(), clock, tokenLife, tokenLife);
    this.tokens = Gateway.await(AccessTokens.load(vertx, node.services().redis(), tokenLife, clock));
    this.establishment = establishment;
    this.admin = new Principal("bench-admin", Role.ADMIN, establishment, null, "bench");
    // prisoners never sign in with it here; one hash serves every record
    this.pinHash = new SecretHasher().hashNow("0000");
    Gateway.await(directory.putEstablishment(new Establishment(establishment, "HMP Bench " + establishment)));
    // the bench books calls at any hour and many at once: open all day, no capacity limit worth the name
    Gateway.await(node.services().calls().settings(establishment, new CallSettings(LocalTime.MIN, LocalTime.MAX, 100_000, false)));
    StaffAccount officer = new StaffAccount("st-bench-" + suffix, "officer-" + suffix + "@bench.kinlink.test", "Bench Officer",
        Role.OFFICER, establishment, pinHash, org.kinlink.gateway.crypto.Totp.newSecret(), false, clock.instant());
    Gateway.await(directory.createStaff(officer));
    this.officerToken = token(officer.id(), Role.OFFICER, establishment, null);
  }

  static CallsBenchFixtures create(Gateway node, Vertx vertx, String establishment, Duration tokenLife) {
    return new CallsBenchFixtures(node, vertx, establishment, tokenLife);
  }

  private String token(String accountId, Role role, String est, String personId) {
    Sessions.Started s = Gateway.await(sessions.start(accountId, role, est, personId));
    return tokens.issue(s.principal());
  }

  private Person prisoner() {
    int i = next.getAndIncrement();
    String number = "" + (char) ('A' + (i / 10_000) % 26) + String.format("%04d", i % 10_000)
        + (char) ('A' + Math.floorMod(suffix.hashCode(), 26)) + (char) ('A' + Math.floorMod(suffix.hashCode() / 26, 26));
    String id = PrisonNumber.prisonerId(number);
    String name = "Bench Mother " + i;
    Gateway.await(directory.createPrisoner(new Prisoner(id, number, name, establishment, Clearance.FULL,
        EnumSet.noneOf(PrisonerFlag.class), pinHash, clock.instant())));
    return new Person(id, name, token(id, Role.PRISONER, establishment, id));
  }

  private PersonOutside outside(PersonKind kind, String name) {
    String id = "pe-bench-" + suffix + "-" + next.getAndIncrement();
    boolean account = kind.maySignIn();
    // an account that may sign in (its sessions are checked against it); a child has none
    PersonOutside p = new PersonOutside(id, kind, name, account ? id + "@bench.kinlink.test" : null, account ? pinHash : null,
        account && kind.isProfessional() ? org.kinlink.gateway.crypto.Totp.newSecret() : null, true, null, List.of(establishment),
        clock.instant());
    Gateway.await(directory.createPerson(p));
    return p;
  }

  private Person signedIn(PersonOutside p) {
    return new Person(p.id(), p.name(), token(p.id(), Role.OUTSIDE, null, p.id()));
  }

  /** An approved contact, as staff would propose and approve it; answers its id. */
  private String contact(String prisonerId, String partyId, String relationship, JsonObject policy) {
    JsonObject full = new JsonObject().put("state", "PENDING").put("relationship", relationship)
        .put("channels", new JsonArray(List.of("MESSAGE", "VIDEO"))).mergeIn(policy);
    JsonObject proposal = new JsonObject().put("prisoner_id", prisonerId).put("person_id", partyId)
        .put("relationship", relationship).put("reason", "bench").put("policy", full);
    String id = Gateway.await(contacts.propose(admin, proposal, null)).body().getString("id");
    Gateway.await(contacts.transition(admin, id, ContactsService.Transition.APPROVE, new JsonObject().put("reason", "bench"),
        null, null));
    return id;
  }

  /**
   * A call booked to start now, for {@code minutes}: two parties (a mother and her carer, on the
   * carer's contact with {@code oversight}) or three (Jade's story: the mother, the school's
   * safeguarding lead and the child, on the child's SUPERVISED contact, booked by the lead).
   */
  Call book(WebClient http, boolean threeParty, String oversight, int minutes) {
    Person mother = prisoner();
    if (!threeParty) {
      Person carer = signedIn(outside(PersonKind.CARER, "Bench Carer"));
      String contact = contact(mother.id(), carer.id(), "CARER", new JsonObject().put("oversight", oversight));
      return new Call(booked(http, mother.token(), contact, minutes), contact, List.of(mother, carer), null);
    }
    Person lead = signedIn(outside(PersonKind.SCHOOL, "Bench School Lead"));
    PersonOutside child = outside(PersonKind.CHILD, "Bench Child (10)");
    contact(mother.id(), lead.id(), "SCHOOL", new JsonObject().put("oversight", oversight));
    String childContact = contact(mother.id(), child.id(), "CHILD", new JsonObject().put("oversight", "SUPERVISED")
        .put("supervisor", new JsonObject().put("any_of", new JsonArray(List.of("SCHOOL")))));
    return new Call(booked(http, lead.token(), childContact, minutes), childContact, List.of(mother, lead), child.id());
  }

  /** Books (and approves, when the decision asked for review) a call starting now. */
  private String booked(WebClient http, String token, String contactId, int minutes) {
    JsonObject body = new JsonObject().put("contact_id", contactId).put("start", clock.instant().toString()).put("duration", minutes);
    HttpResponse<Buffer> r = Gateway.await(http.post("/api/v1/calls").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(body));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("booking answered " + r.statusCode() + ": " + r.bodyAsString());
    }
    JsonObject call = r.bodyAsJsonObject();
    String id = call.getString("id");
    if ("PENDING_APPROVAL".equals(call.getString("state"))) {
      HttpResponse<Buffer> a = Gateway.await(http.post("/api/v1/calls/" + id + "/approve")
          .putHeader("Authorization", "Bearer " + officerToken).sendJsonObject(new JsonObject().put("reason", "bench")));
      if (a.statusCode() != 200) {
        throw new IllegalStateException("approval answered " + a.statusCode() + ": " + a.bodyAsString());
      }
    }
    return id;
  }

  /** Books {@code n} calls, alternately two- and three-party. */
  List<Call> bookMany(WebClient http, int n, String oversight, int minutes) {
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(book(http, i % 2 == 1, oversight, minutes));
    }
    return out;
  }

  /** The one-time link the lead makes for the child of a three-party call; answers the token. */
  static Future<String> link(WebClient http, Call c) {
    return http.post("/api/v1/calls/" + c.id() + "/join-links").putHeader("Authorization", "Bearer " + c.accounts().get(1).token())
        .sendJsonObject(new JsonObject()).compose(r -> r.statusCode() == 201
            ? Future.succeededFuture(r.bodyAsJsonObject().getString("token"))
            : Future.failedFuture("join link answered " + r.statusCode() + ": " + r.bodyAsString()));
  }

  /** Makes the SCHEDULED calls whose time has come OPEN, as the node's sweeper does each second. */
  void openDue() {
    Gateway.await(node.services().calls().sweep());
  }
}
