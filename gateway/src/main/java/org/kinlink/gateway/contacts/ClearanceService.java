package org.kinlink.gateway.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.kinlink.gateway.audit.AuditEvent;
import org.kinlink.gateway.identity.Principal;
import org.kinlink.gateway.domain.DomainException;
import org.kinlink.gateway.idempotency.IdempotencyKey;
import org.kinlink.policy.model.PolicyChange;

/**
 * A prisoner's child-contact clearance, versioned like a contact's policy: who may see it (staff of
 * her establishment), who may tighten it (every staff role of it) and who may loosen
 * it (an assessor: family worker or admin). Domain results and errors only, like {@link ContactsService}.
 */
public final class ClearanceService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClearanceService.class);

  private final ContactsService contacts;
  private final Parties parties;
  private final ContactStore store;
  private final VersionedWrites writes;
  private final ContactDecisions decisions;
  private final Clock clock;
  private final Naming naming;

  ClearanceService(ContactsService contacts, Parties parties, ContactStore store, VersionedWrites writes,
      ContactDecisions decisions, Clock clock) {
    this.contacts = contacts;
    this.parties = parties;
    this.store = store;
    this.writes = writes;
    this.decisions = decisions;
    this.clock = clock;
    this.naming = new Naming(parties, store);
  }

  /** A prisoner's clearance (staff of her establishment). */
  public Future<JsonObject> get(Principal p, String prisonerRef) {
    return contacts.staffPrisoner(p, PrisonerRefs.toId(prisonerRef)).compose(pr -> store.clearance(pr.id())
        .compose(r -> naming.accounts(r.updatedBy() == null ? List.of() : List.of(r.updatedBy()))
            .map(n -> ContactViews.clearance(r, ContactDecisions.clearanceOf(r, pr).name(), n))));
  }

  /** A page of clearance versions, newest first (staff), {@code {items, next_cursor}}. */
  public Future<ContactsService.VersionPage> versions(Principal p, String prisonerRef, int limit, Integer before) {
    return contacts.staffPrisoner(p, PrisonerRefs.toId(prisonerRef))
        .compose(pr -> store.clearanceVersions(pr.id(), before, limit + 1))
        .compose(list -> {
          List<PolicyVersion> page = list.subList(0, Math.min(limit, list.size()));
          Integer next = list.size() > limit ? page.get(page.size() - 1).version() : null;
          return naming.accounts(page.stream().map(PolicyVersion::author).toList()).map(n -> new ContactsService.VersionPage(
              page.stream().map(v -> ContactViews.clearanceVersion(v, n)).toList(), next));
        });
  }

  /** Sets a prisoner's child-contact clearance (staff, If-Match required: "0" when never assessed). */
  public Future<ContactsService.Written> put(Principal p, String prisonerRef, JsonObject body, Integer expectedVersion,
      String idemKey) {
    String prisonerId = PrisonerRefs.toId(prisonerRef);
    if (expectedVersion == null) {
      throw DomainException.versionRequired(
          "Send If-Match with the clearance version you are changing (GET the clearance: its ETag; 0 when never assessed).",
          "If-Match");
    }
    int expected = expectedVersion;
    String reason = ContactsService.requireReason(body);
    String level = body.getString("clearance");
    return contacts.staffPrisoner(p, prisonerId).compose(pr -> {
      IdempotencyKey idem = IdempotencyKey.of(idemKey, p.accountId(), "prisoner.clearance.set", pr.id(), body,
          ContactsService.versionText(expected));
      return writes.replay(pr.id(), idem).compose(replayed -> replayed.isPresent()
          ? Future.succeededFuture(ContactsService.Written.of(replayed.get()))
          : store.clearance(pr.id()).compose(current -> {
            if (expected != current.version()) {
              throw ContactsService.stale(current.version());
            }
            // lowering is open to every staff role; raising follows an assessment (the engine decides)
            decisions.requireMayChangePolicy(p, pr, PolicyChange.clearance(ContactDecisions.clearanceOf(current, pr),
                org.kinlink.policy.model.Clearance.valueOf(level)));
            return commitClearance(p, pr, current, level, reason, idem);
          }).compose(outcome -> {
            ContactsService.Written answer = ContactsService.answerOf(outcome, pr.id());
            // the people directory shows the clearance too; this store stays the authority for decisions
            return parties.mirrorClearance(pr.id(), level).recover(e -> {
              log.warn("clearance of {} saved (version {}) but not mirrored to the prisoner record", pr.id(), answer.version(), e);
              return Future.succeededFuture();
            }).map(answer);
          }));
    });
  }

  /**
   * Records a clearance change made elsewhere (the people directory's prisoner update, which its own
   * module authorised) as a new version here, so decisions and the version history see it.
   */
  public Future<Void> record(Principal p, String prisonerId, String level, String reason) {
    return parties.prisoner(prisonerId).compose(pr -> recordClearanceAttempt(p,
        pr.orElseThrow(() -> DomainException.notFound("No such prisoner.")), level, reason, 0));
  }

  private Future<Void> recordClearanceAttempt(Principal p, Parties.PrisonerInfo pr, String level, String reason, int attempt) {
    return store.clearance(pr.id()).compose(current -> {
      if (current.version() > 0 && current.level().equals(level)) {
        return Future.succeededFuture();
      }
      return commitClearance(p, pr, current, level, reason == null ? "Changed on the prisoner record." : reason, null)
          .compose(outcome -> outcome instanceof VersionedWrites.Outcome.Stale && attempt < ContactsService.MAX_CAS_RETRIES
              ? recordClearanceAttempt(p, pr, level, reason, attempt + 1)
              : Future.succeededFuture(ContactsService.answerOf(outcome, pr.id())).mapEmpty());
    });
  }

  private Future<VersionedWrites.Outcome> commitClearance(Principal p, Parties.PrisonerInfo pr, ClearanceRecord current,
      String level, String reason, IdempotencyKey idem) {
    Instant now = clock.instant();
    ClearanceRecord next = new ClearanceRecord(pr.id(), level, current.version() + 1, now, p.accountId(), reason);
    String beforeLevel = ContactDecisions.clearanceOf(current, pr).name();
    PolicyVersion version = new PolicyVersion(next.version(), new JsonObject().put("clearance", level),
        p.accountId(), p.role().name(), now, reason, "prisoner.clearance.set");
    AuditEvent audit = ContactsService.auditOf(p, "prisoner.clearance.set", pr, null).detail("reason", reason)
        .detail("version", next.version()).detail("before", beforeLevel).detail("after", level).build();
    return naming.accounts(List.of(p.accountId())).compose(names -> {
      JsonObject answer = ContactViews.clearance(next, level, names);
      VersionedWrites.Write write = new VersionedWrites.Write(VersionedWrites.Mode.PUT, pr.id(),
          VersionedWrites.Target.clearance(pr.id()), current.version(), version, next.fields(), audit,
          ContactChange.clearance(pr.id(), next.version(), level, 0), idem, false, answer, 0, null, null, null,
          ContactWriteScript.PartyClaim.NONE);
      return writes.commit(write);
    });
  }
}
