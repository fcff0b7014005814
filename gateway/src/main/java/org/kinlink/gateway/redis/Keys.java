package org.kinlink.gateway.redis;

/**
 * Every Redis key the gateway uses, in one place (the README's operations section mirrors this).
 *
 * <p>All keys start with {@code kl:}. Hash tags ({@code {...}}) keep what one Lua script or one
 * transaction touches in one Redis Cluster slot: one prisoner's data under {@code {p:<id>}}, the
 * audit chain under {@code {audit}}, one account's sign-in state under {@code {acct:<id>}}.
 * Each capability owns one section below.
 */
public final class Keys {
  private Keys() {}

  // --- gateway ---

  /** Pub/sub channel every node listens to for cross-node events. */
  public static final String EVENTS_CHANNEL = "kl:events";

  // --- audit ---
  // Every audit key shares one hash tag (the namespace), so the append script's keys sit in one
  // cluster slot. Production uses AUDIT; tests use their own kl:{audit-<uuid>} chains.

  /** Namespace of the production audit chain. */
  public static final String AUDIT = "kl:{audit}";

  /** Hash {seq, hash, at}: the chain head every append compares-and-sets. */
  public static String auditHead(String ns) {
    return ns + ":head";
  }

  /** Hash seq -> stored entry (canonical JSON + prev_hash + hash). */
  public static String auditEntries(String ns) {
    return ns + ":entries";
  }

  /** Sorted set seq scored by the entry's time in epoch millis (times never go backwards along the chain). */
  public static String auditTime(String ns) {
    return ns + ":time";
  }

  /** Sorted set of the seqs one establishment's security staff may read (score = seq). */
  public static String auditByEstablishment(String ns, String establishment) {
    return ns + ":est:" + establishment;
  }

  /** Sorted set of the seqs about one prisoner (score = seq). */
  public static String auditByPrisoner(String ns, String prisonerId) {
    return ns + ":prisoner:" + prisonerId;
  }

  /** Sorted set of the seqs about one contact (score = seq). */
  public static String auditByContact(String ns, String contactId) {
    return ns + ":contact:" + contactId;
  }

  /** Sorted set change id -> seq of the newest changes appended from an outbox (an append is idempotent per change). */
  public static String auditChangeIds(String ns) {
    return ns + ":change-ids";
  }

  /**
   * String: a sweeper's lease on one parked change of any outbox hash (beside it, so in its slot);
   * for contacts this is {@link #contactsOutboxLease}.
   */
  public static String auditOutboxLease(String outboxKey, String changeId) {
    return outboxKey + "-lease:" + changeId;
  }

  /** Sorted set of signed checkpoints (score = seq, member = checkpoint JSON). */
  public static String auditCheckpoints(String ns) {
    return ns + ":checkpoints";
  }

  /** Hash key id -> Ed25519 public key (base64): the checkpoint keys every node and the CLI verify with. */
  public static String auditKeys(String ns) {
    return ns + ":keys";
  }

  // --- auth & people (identities, sign-in) ---
  // The identity directory (establishments, prisoners, people outside, staff, kiosk devices and
  // their unique indexes) shares the hash tag {dir}: a record and its indexes are created in one
  // atomic script. It is small and read-mostly, so one cluster slot is enough.
  // Sign-in throttles live under {signin:<sha256 of the login name>} so that unknown names are
  // throttled exactly like real ones; a session's refresh state under {sess:<sid>}.

  /** Prefix of every identity-directory key. */
  public static final String DIR = "kl:{dir}";

  /** String: a record's JSON; kind is prisoner, person, staff, device or est. */
  public static String dirRecord(String kind, String id) {
    return DIR + ":" + kind + ":" + id;
  }

  /** Sorted set (all scores 0, ordered by id) listing one kind's ids, optionally per establishment. */
  public static String dirList(String kind, String establishment) {
    return establishment == null ? DIR + ":list:" + kind : DIR + ":list:" + kind + ":" + establishment;
  }

  /** Hash: change id -> a committed directory change whose audit entry is not yet written (the outbox). */
  public static String dirAuditOutbox() {
    return DIR + ":audit-outbox";
  }

  /** String: prison number -> prisoner id (unique). */
  public static String dirPrisonNumber(String prisonNumber) {
    return DIR + ":prison-number:" + prisonNumber;
  }

  /** String: sha256(lower-cased email) -> "staff:<id>" or "person:<id>" (one sign-in name space). */
  public static String dirEmail(String emailSha) {
    return DIR + ":email:" + emailSha;
  }

  /** Counter of wrong tries in a row for one sign-in name (prison number or email, hashed). */
  public static String signInFailures(String nameSha) {
    return "kl:{signin:" + nameSha + "}:fails";
  }

  /** String: the end (epoch ms) of a lock on one sign-in name; deleted when the end is audited. */
  public static String signInLock(String nameSha) {
    return "kl:{signin:" + nameSha + "}:lock";
  }

  /** Counter of failed sign-ins from one source address in the current window. */
  public static String signInSource(String source) {
    return "kl:{signin-src:" + source + "}:fails";
  }

  /** String: the end (epoch ms, gateway clock) of that source's current window. */
  public static String signInSourceWindow(String source) {
    return "kl:{signin-src:" + source + "}:window";
  }

  /** String: the last TOTP time step accepted for an account (a code is never accepted twice). */
  public static String totpLastStep(String accountId) {
    return "kl:{acct:" + accountId + "}:totp-step";
  }

  /** Set of an account's session ids (revoked together when the account is disabled). */
  public static String accountSessions(String accountId) {
    return "kl:{acct:" + accountId + "}:sessions";
  }

  /** Hash: a session (refresh-token family): who, current refresh hash, state, expiry. */
  public static String session(String sid) {
    return "kl:{sess:" + sid + "}";
  }

  /** Set: refresh-token hashes of a session that were already rotated (presenting one again = theft). */
  public static String sessionUsed(String sid) {
    return "kl:{sess:" + sid + "}:used";
  }

  /** String: present while a session is revoked; lives as long as an access token can. */
  public static String sessionRevoked(String sid) {
    return "kl:{sess:" + sid + "}:revoked";
  }

  /**
   * Hash {sha, expires}: SHA-256 (hex) of a kiosk's one-time enrolment code and its end (epoch ms). In {dir} so
   * the enrol script consumes the code and stores the key with the device record in one step.
   */
  public static String deviceEnrolmentCode(String deviceId) {
    return DIR + ":device-code:" + deviceId;
  }

  /** String: a kiosk sign-in challenge (nonce) -> "<end epoch ms> <device id>"; single use, short-lived. */
  public static String kioskNonce(String nonce) {
    return "kl:auth:kiosk-nonce:" + nonce;
  }

  /** String: the TOTP data key, wrapped by the master key (base64); created once with SET NX. */
  public static final String TOTP_DATA_KEY = "kl:keys:totp";

  /** String: the HMAC key that signs access tokens, shared by every node (created once with SET NX). */
  public static final String TOKEN_KEY = "kl:auth:token-key";

  /** Pub/sub channel: a revoked session id, so every node drops it from its cache at once. */
  public static final String REVOCATIONS_CHANNEL = "kl:auth:revocations";

  /** String: set once demo data is loaded (kept across restarts). */
  public static final String DEMO_LOADED = "kl:demo:loaded";

  // --- contacts, restrictions, clearance (issue 5) ---

  /** Hash: one contact's current record and policy document (fields in {@code contacts.ContactRecord}). */
  public static String contact(String prisonerId, String contactId) {
    return "kl:{p:" + prisonerId + "}:contact:" + contactId;
  }

  /** List: every policy version of one contact as JSON, newest first. */
  public static String contactVersions(String prisonerId, String contactId) {
    return "kl:{p:" + prisonerId + "}:contact:" + contactId + ":versions";
  }

  /** Sorted set: a prisoner's contact ids, scored by creation time (epoch ms). */
  public static String prisonerContacts(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:contacts";
  }

  /** String: contact id -> prisoner id, written once before the contact (the URL carries only the contact id). */
  public static String contactOwner(String contactId) {
    return "kl:contact-owner:" + contactId;
  }

  /** Set: "prisonerId/contactId" of every contact a person outside is party to. */
  public static String personContacts(String personId) {
    return "kl:{pe:" + personId + "}:contacts";
  }

  /** Hash: a prisoner's child-contact clearance (level, version, who, when, why); absent = not assessed. */
  public static String clearance(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:clearance";
  }

  /** List: every clearance version as JSON, newest first. */
  public static String clearanceVersions(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:clearance:versions";
  }

  /** String counter: bumped atomically by every contact or clearance change of a prisoner; caches compare it. */
  public static String policyRevision(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:policy-rev";
  }

  /** Hash: change id -> committed change whose audit entry is not yet confirmed durable (the outbox). */
  public static String contactsOutbox(String prisonerId) {
    return "kl:{p:" + prisonerId + "}:contacts-outbox";
  }

  /** String: a lease so only one node re-sends an outbox entry at a time. */
  public static String contactsOutboxLease(String prisonerId, String changeId) {
    return "kl:{p:" + prisonerId + "}:contacts-outbox-lease:" + changeId;
  }

  /** Sorted set: prisoners whose outbox may hold entries, scored by their last write (epoch ms). */
  public static final String CONTACTS_OUTBOX_INDEX = "kl:contacts-outbox-index";

  /** Sorted set: "prisonerId/contactId" of suspensions with an end, scored by the end (epoch ms). */
  public static final String CONTACTS_SUSPENSIONS = "kl:contacts-suspensions";

  /** String: the first answer to a contacts write, by (actor, operation, target, Idempotency-Key) digest; 24 h. */
  public static String contactsIdempotency(String prisonerId, String digest) {
    return "kl:{p:" + prisonerId + "}:idem:contacts:" + digest;
  }

  /** String counter: calls on one contact on one day (Europe/London date), kept 15 days. */
  public static String usageCalls(String prisonerId, String contactId, String isoDate) {
    return "kl:{p:" + prisonerId + "}:usage:" + contactId + ":calls:" + isoDate;
  }

  /**
   * String counter: messages one sender ({@code pr-...} / {@code pe-...}, the gateway id) sent on one
   * contact on one day (Europe/London date), kept 2 days.
   */
  public static String usageMessages(String prisonerId, String contactId, String senderId, String isoDate) {
    return "kl:{p:" + prisonerId + "}:usage:" + contactId + ":msgs:" + senderId + ":" + isoDate;
  }

  /** String: the id of the prisoner's live (not revoked) contact with this party; absent while there is none. */
  public static String contactParty(String prisonerId, String partyId) {
    return "kl:{p:" + prisonerId + "}:contact-party:" + partyId;
  }

  /** Hash: the message and call ids already counted on one contact on one day (so a retry is not counted twice). */
  public static String usageCounted(String prisonerId, String contactId, String isoDate) {
    return "kl:{p:" + prisonerId + "}:usage:" + contactId + ":counted:" + isoDate;
  }

  /** Sorted set: "prisonerId/contactId" of an establishment's PENDING contacts, scored by creation (epoch ms). */
  public static String contactsPending(String establishment) {
    return "kl:contacts-pending:" + establishment;
  }

  /** Pub/sub channel: contact and clearance changes, so every node drops its cached copy. */
  public static final String CONTACT_CHANGES_CHANNEL = "kl:events:contacts";

  // --- messaging (issue 11) ---
  // One conversation's keys share the hash tag {m:<conversation id>} so each write script stays in
  // one cluster slot; the review queues are per establishment and updated beside it.

  /** Hash: message key (digest of sender and client_id) -> message record JSON (body sealed, never plaintext). */
  public static String conversationMessages(String conversationId) {
    return "kl:{m:" + conversationId + "}:msgs";
  }

  /** Sorted set: message keys scored by the feed position of their last change (cursors are feed positions). */
  public static String conversationFeed(String conversationId) {
    return "kl:{m:" + conversationId + "}:feed";
  }

  /** String counter: the conversation's feed position; a message's order is the position it was created at. */
  public static String conversationFeedSeq(String conversationId) {
    return "kl:{m:" + conversationId + "}:feed-seq";
  }

  /** String: the conversation's AES-256 data key, wrapped by the master key (JSON: key id + wrapped bytes). */
  public static String conversationKey(String conversationId) {
    return "kl:{m:" + conversationId + "}:key";
  }

  /** Hash: {@code <message key>:full|thumb} -> a photo message's re-encoded JPEG, sealed like bodies (base64). */
  public static String conversationPhotos(String conversationId) {
    return "kl:{m:" + conversationId + "}:photos";
  }

  /**
   * Hash: change id -> a committed message whose audit entry is not yet on the chain (the
   * conversation's outbox, in its slot: {@code messaging-put.lua} parks the entry with the record).
   */
  public static String conversationAuditOutbox(String conversationId) {
    return "kl:{m:" + conversationId + "}:audit-outbox";
  }

  /** Sorted set: conversations whose outbox may hold entries, scored by their last send (epoch ms); the sweeper reads it. */
  public static final String MESSAGES_OUTBOX_INDEX = "kl:msg:outbox-index";

  /** Sorted set: message ids waiting for this establishment's security review, scored by when held (epoch ms). */
  public static String reviewQueue(String establishment) {
    return "kl:msg:review:" + establishment;
  }

  /**
   * Sorted set: ids of messages whose retention time runs, scored by when it started (delivery or
   * rejection, epoch ms); once looked at and not yet due, by when the sweep should look again, less
   * the shortest retention in use (so one cutoff serves every establishment).
   */
  public static final String MESSAGE_RETENTION = "kl:msg:retention";

  /** String: a security hold on a conversation (JSON: by, reason, at): its bodies are kept past retention. */
  public static String conversationHold(String conversationId) {
    return "kl:{m:" + conversationId + "}:hold";
  }

  /**
   * Hash: establishment id -> days message bodies and photos are kept after delivery (messaging's
   * per-establishment setting, beside {@link #callSettings}); an establishment not in it keeps the default.
   */
  public static final String MESSAGE_RETENTION_DAYS = "kl:msg:retention-days";

  /**
   * Hash: change id -> a committed change of one establishment's {@link #MESSAGE_RETENTION_DAYS}
   * whose audit entry is not yet written. Its hash tag is that key's whole name, which has none, so
   * both sit in one slot (the write script touches both) and the setting's key keeps its name.
   */
  public static String messageRetentionOutbox(String establishment) {
    return "kl:{" + MESSAGE_RETENTION_DAYS + "}:audit-outbox:" + establishment;
  }

  /** Sorted set: {@link #messageRetentionOutbox} keys that may hold entries, scored by their last write (epoch ms). */
  public static final String MESSAGE_SETTINGS_OUTBOX_INDEX = "kl:msg:settings-outbox-index";

  /** Hash: child person id -> person id of the adult who holds the child's conversations (carer, school lead). */
  public static final String MESSAGE_HOLDERS = "kl:msg:holders";

  /** Pub/sub channel: realtime events for whichever node holds the recipient's socket (no content, ids only). */
  public static final String REALTIME_CHANNEL = "kl:events:realtime";

  // ---------------------------------------------------------------- calls
  // No slot holds every call. A call's own keys (record, audit outbox, recordings) share {c:<call id>};
  // an establishment's indexes and settings share {ce:<establishment>}; a participant's indexes share
  // {cp:<party id>}; a recording's counters share {r:<recording id>} (its chunks are files). Booking places the call in each
  // establishment's and each participant's indexes (one script per slot, each checking capacity or a
  // clash in its own slot), then writes the record with its pending audit entry (one script in the
  // call's slot); a refused place takes back the places made before it.

  /** String: a call record (JSON, with its version {@code v}). */
  public static String call(String callId) {
    return "kl:{c:" + callId + "}:call";
  }

  /** Hash: change id -> a committed call change whose audit entry is not yet written (the call's outbox). */
  public static String callOutbox(String callId) {
    return "kl:{c:" + callId + "}:audit-outbox";
  }

  /** Sorted set: calls whose outbox may hold entries, scored by their last write (epoch ms); the sweeper reads it. */
  public static final String CALLS_OUTBOX_INDEX = "kl:calls-outbox-index";

  /** Set: establishments that have had calls (the sweepers visit each one's indexes). */
  public static final String CALL_ESTABLISHMENTS = "kl:calls-establishments";

  /** Sorted set: an establishment's calls, scored by start (epoch ms). */
  public static String callsOfEstablishment(String establishment) {
    return "kl:{ce:" + establishment + "}:calls";
  }

  /** Sorted set: an establishment's calls not yet over, scored by their latest end (epoch ms). */
  public static String activeCallsOfEstablishment(String establishment) {
    return "kl:{ce:" + establishment + "}:active";
  }

  /** Hash: an establishment's call settings (hours, capacity, approval, recording retention); defaults when absent. */
  public static String callSettings(String establishment) {
    return "kl:{ce:" + establishment + "}:settings";
  }

  /** Hash: change id -> a committed change of an establishment's call settings whose audit entry is not yet written. */
  public static String callSettingsOutbox(String establishment) {
    return "kl:{ce:" + establishment + "}:settings-audit-outbox";
  }

  /** Sorted set: {@link #callSettingsOutbox} keys that may hold entries, scored by their last write (epoch ms). */
  public static final String CALL_SETTINGS_OUTBOX_INDEX = "kl:call-settings-outbox-index";

  /** Sorted set: an establishment's ended calls with recordings, scored by when the call ended (epoch ms). */
  public static String recordedCallsOfEstablishment(String establishment) {
    return "kl:{ce:" + establishment + "}:recorded";
  }

  /** Sorted set: ended calls whose recordings wait for the retention sweep, scored by when they are due (epoch ms). */
  public static String recordingRetention(String establishment) {
    return "kl:{ce:" + establishment + "}:recording-retention";
  }

  /** Sorted set: a participant's calls ({@code pr-...}, {@code pe-...}), scored by start (epoch ms). */
  public static String callsOfParty(String partyId) {
    return "kl:{cp:" + partyId + "}:calls";
  }

  /** Sorted set: a participant's calls not yet over, scored by their latest end (epoch ms). */
  public static String activeCallsOfParty(String partyId) {
    return "kl:{cp:" + partyId + "}:active";
  }

  /** String: a one-time join link, by sha256(token) (JSON; expires with the call). */
  public static String callJoinLink(String tokenSha) {
    return "kl:call-link:" + tokenSha;
  }

  /** String: a signalling ticket, by sha256(ticket) (JSON; expires with the call). */
  public static String callTicket(String ticketSha) {
    return "kl:call-ticket:" + ticketSha;
  }

  /** Hash: a call's recordings ({@code <recording id>:key|started|mime|bytes|chunks|deleted_at}) and holds ({@code hold:<establishment>}). */
  public static String callRecordings(String callId) {
    return "kl:{c:" + callId + "}:recordings";
  }

  /**
   * Hash: one recording's counters ({@code chunks}, plaintext {@code bytes}, {@code next}: one past the
   * highest seq stored, {@code last}: when the kiosk's latest chunk arrived), beside {@link #recordingSeqs}
   * so that counting a chunk once is one script. Kept after retention deletes the chunks: it is what the recording was.
   */
  public static String recordingCounts(String recordingId) {
    return "kl:{r:" + recordingId + "}:counts";
  }

  /**
   * Sorted set: the gateway nodes running now, by a random id per start, scored by their last heartbeat
   * (epoch ms), each with a marker file in its recordings dir: how a node finds out that its recordings
   * dir is not the one the others use ({@code calls/recording/SharedRecordingsDir}).
   */
  public static final String RECORDINGS_DIR_NODES = "kl:recordings:dir-nodes";

  /**
   * Bitmap: the seqs of a recording already counted (bit {@code seq} set), so that a chunk file is counted
   * once whoever writes it again (about 225 bytes for a 30-minute call of one-second slices).
   */
  public static String recordingSeqs(String recordingId) {
    return "kl:{r:" + recordingId + "}:seqs";
  }

  /**
   * String (raw bytes): one recording chunk, sealed (AES-256-GCM under the recording's data key), as
   * recordings were stored before their chunks went to files ({@code calls/recording/ChunkFiles}):
   * only read (playback of an older recording) and deleted (retention) now, never written.
   */
  public static String recordingChunk(String recordingId, long seq) {
    return "kl:{r:" + recordingId + "}:chunk:" + seq;
  }

  /** String: recording id -> call id. */
  public static String recordingCall(String recordingId) {
    return "kl:{r:" + recordingId + "}:call";
  }
}
