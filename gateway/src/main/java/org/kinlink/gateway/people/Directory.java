package org.kinlink.gateway.people;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.KeyValue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.http.ApiException;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * The identity directory in Redis: establishments, prisoners, people outside, staff accounts and
 * kiosk devices: the people capability's store. Records are JSON strings under {@link Keys#DIR};
 * creation (record + unique indexes + lists) and changes (compare-and-set on the record read) are
 * single Lua scripts that also park the change's audit entry in the directory's outbox
 * ({@link Keys#dirAuditOutbox()}), so a change is never committed without it.
 */
public final class Directory {
  static final String EST = "est";
  static final String PRISONER = "prisoner";
  static final String PERSON = "person";
  static final String STAFF = "staff";
  static final String DEVICE = "device";
  private static final int MAX_CAS_TRIES = 5;
  private static final int SCAN_BATCH = 200;
  private static final int SCAN_BUDGET = 2000;

  private final Redis redis;
  private final CreateRecordScript create;
  private final ReplaceRecordScript replace;
  /**
   * Prisoners and people as last parsed, by id with the stored text they were parsed from. Every
   * read still goes to Redis (a transfer or a change is seen by the very next request on any node);
   * only a record whose text is the same as last time skips being parsed again, which every message
   * send otherwise does twice.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Parsed> parsed =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000).executor(Runnable::run).build();

  private record Parsed(String text, Object record) {}
  private volatile SecretBox totpSecrets;

  public Directory(Redis redis) {
    this.redis = redis;
    this.create = new CreateRecordScript(redis);
    this.replace = new ReplaceRecordScript(redis);
  }

  /**
   * From now on TOTP secrets are written sealed (the gateway sets this at start, the
   * {@code kinlink admin} commands when they open a deployment; a directory used without it writes
   * them as given, and the gateway seals them at its next start).
   */
  public void sealTotpSecretsWith(SecretBox box) {
    this.totpSecrets = box;
  }

  /** The context a TOTP secret is sealed for: its account, so it opens on no other record. */
  public static String totpContext(String accountId) {
    return "totp:" + accountId;
  }

  private JsonObject sealed(String accountId, JsonObject stored) {
    SecretBox box = totpSecrets;
    String secret = stored.getString("totp_secret");
    if (box != null && secret != null) {
      stored.put("totp_secret", box.seal(totpContext(accountId), secret));
    }
    return stored;
  }

  /** A sign-in account found by email: exactly one of the two is set. */
  public record Account(StaffAccount staff, PersonOutside person) {}

  /** Lower-cased, trimmed email. */
  public static String normalizeEmail(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }

  /** SHA-256 hex of a name, so emails never appear in key names. */
  public static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- establishments ---

  /** Creates or renames an establishment (set-up and demo only; there is no API to change them). */
  public Future<Void> putEstablishment(Establishment e) {
    return redis.call(c -> c.set(Keys.dirRecord(EST, e.id()), e.toJson().encode()))
        .compose(ok -> redis.call(c -> c.zadd(Keys.dirList(EST, null), 0, e.id()))).mapEmpty();
  }

  public Future<Optional<Establishment>> establishment(String id) {
    return get(EST, id).map(j -> j.map(Establishment::fromJson));
  }

  public Future<List<Establishment>> establishments() {
    return list(EST, null, null, 1000, j -> true).map(p -> p.items().stream().map(Establishment::fromJson).toList());
  }

  // --- prisoners ---

  /** Creates a prisoner (set-up, demo); fails 409 when the prison number is already registered. */
  public Future<Void> createPrisoner(Prisoner p) {
    return createPrisoner(p, null).map(r -> orConflict(r, "PRISON_NUMBER_TAKEN", PRISON_NUMBER_TAKEN));
  }

  Future<CreateRecordScript.Result> createPrisoner(Prisoner p, Parked parked) {
    return create.run(Keys.dirRecord(PRISONER, p.id()), p.id(), p.toStored().encode(), List.of(),
        List.of(Keys.dirList(PRISONER, p.establishment())), parked);
  }

  public Future<Optional<Prisoner>> prisoner(String id) {
    return getParsed(PRISONER, id, Prisoner::fromStored);
  }

  public Future<Optional<Prisoner>> prisonerByNumber(String prisonNumber) {
    return prisoner(PrisonNumber.prisonerId(prisonNumber));
  }

  public Future<Page<Prisoner>> prisoners(String establishment, String cursor, int limit) {
    return list(PRISONER, establishment, cursor, limit, j -> true).map(p -> map(p, Prisoner::fromStored));
  }

  /** An establishment's prisoners whose name or prison number contains {@code q} (case-insensitive), from {@code after}. */
  Future<Page<Prisoner>> searchPrisoners(String establishment, String q, String after, int limit) {
    String needle = q.toLowerCase(Locale.ROOT);
    return list(PRISONER, establishment, after, limit, j -> contains(j.getString("name"), needle)
        || contains(j.getString("prison_number"), needle)).map(p -> map(p, Prisoner::fromStored));
  }

  /** Applies a change to a prisoner atomically (set-up, contacts' clearance mirror); answers the before and after records. */
  public Future<Change<Prisoner>> updatePrisoner(String id, UnaryOperator<Prisoner> change) {
    return legacy(updatePrisoner(id, change, null));
  }

  /** Applies a change to a prisoner atomically with its audit entry, parked in {@link Keys#dirAuditOutbox()}. */
  public Future<Optional<Audited<Prisoner>>> updatePrisoner(String id, UnaryOperator<Prisoner> change, AuditOf<Prisoner> audit) {
    return update(PRISONER, id, Prisoner::fromStored, Prisoner::toStored, change, p -> List.of(), audit);
  }

  // --- people outside ---

  /** Creates a person outside (set-up, demo); fails 409 when the email is already used by any account. */
  public Future<Void> createPerson(PersonOutside p) {
    return createPerson(p, null).map(r -> orConflict(r, "EMAIL_TAKEN", EMAIL_TAKEN));
  }

  Future<CreateRecordScript.Result> createPerson(PersonOutside p, Parked parked) {
    List<CreateRecordScript.Index> idx = p.email() == null ? List.of()
        : List.of(new CreateRecordScript.Index(Keys.dirEmail(sha256(p.email())), PERSON + ":" + p.id()));
    List<String> lists = new ArrayList<>();
    lists.add(Keys.dirList(PERSON, null));
    p.establishments().forEach(e -> lists.add(Keys.dirList(PERSON, e)));
    return create.run(Keys.dirRecord(PERSON, p.id()), p.id(), sealed(p.id(), p.toStored()).encode(), idx, lists, parked);
  }

  public Future<Optional<PersonOutside>> person(String id) {
    return getParsed(PERSON, id, PersonOutside::fromStored);
  }

  public Future<Page<PersonOutside>> people(String establishment, String cursor, int limit) {
    return list(PERSON, establishment, cursor, limit, j -> true).map(p -> map(p, PersonOutside::fromStored));
  }

  /** The people outside an establishment works with whose name contains {@code q} (case-insensitive). */
  Future<Page<PersonOutside>> searchPeople(String establishment, String q, String after, int limit) {
    String needle = q.toLowerCase(Locale.ROOT);
    return list(PERSON, establishment, after, limit, j -> contains(j.getString("name"), needle))
        .map(p -> map(p, PersonOutside::fromStored));
  }

  /** Applies a change to a person atomically (new establishments get listed too). */
  public Future<Change<PersonOutside>> updatePerson(String id, UnaryOperator<PersonOutside> change) {
    return legacy(updatePerson(id, change, null));
  }

  /** Applies a change to a person atomically with its audit entry, parked in {@link Keys#dirAuditOutbox()}. */
  public Future<Optional<Audited<PersonOutside>>> updatePerson(String id, UnaryOperator<PersonOutside> change,
      AuditOf<PersonOutside> audit) {
    return update(PERSON, id, PersonOutside::fromStored, x -> sealed(x.id(), x.toStored()), change,
        p -> p.establishments().stream().map(e -> Keys.dirList(PERSON, e)).toList(), audit);
  }

  // --- staff ---

  /** Creates a staff account (set-up, demo); fails 409 when the email is already used by any account. */
  public Future<Void> createStaff(StaffAccount s) {
    return createStaff(s, null).map(r -> orConflict(r, "EMAIL_TAKEN", EMAIL_TAKEN));
  }

  Future<CreateRecordScript.Result> createStaff(StaffAccount s, Parked parked) {
    return create.run(Keys.dirRecord(STAFF, s.id()), s.id(), sealed(s.id(), s.toStored()).encode(),
        List.of(new CreateRecordScript.Index(Keys.dirEmail(sha256(s.email())), STAFF + ":" + s.id())),
        List.of(Keys.dirList(STAFF, s.establishment())), parked);
  }

  /** Creates a staff account together with its parked audit entry; false when the email is taken (nothing written). */
  public Future<Boolean> createStaffAudited(StaffAccount s, Parked parked) {
    return createStaff(s, parked).map(r -> r == CreateRecordScript.Result.CREATED);
  }

  public Future<Optional<StaffAccount>> staff(String id) {
    return get(STAFF, id).map(j -> j.map(StaffAccount::fromStored));
  }

  public Future<Page<StaffAccount>> staffList(String establishment, String cursor, int limit) {
    return list(STAFF, establishment, cursor, limit, j -> true).map(p -> map(p, StaffAccount::fromStored));
  }

  public Future<Change<StaffAccount>> updateStaff(String id, UnaryOperator<StaffAccount> change) {
    return legacy(updateStaff(id, change, null));
  }

  /** Applies a change to a staff account atomically with its audit entry, parked in {@link Keys#dirAuditOutbox()}. */
  public Future<Optional<Audited<StaffAccount>>> updateStaff(String id, UnaryOperator<StaffAccount> change, AuditOf<StaffAccount> audit) {
    return update(STAFF, id, StaffAccount::fromStored, x -> sealed(x.id(), x.toStored()), change, s -> List.of(), audit);
  }

  /** The staff account or person outside that signs in with this email. */
  public Future<Optional<Account>> accountByEmail(String email) {
    String key = Keys.dirEmail(sha256(normalizeEmail(email)));
    return redis.<String>call(c -> c.get(key)).compose(ref -> {
      if (ref == null) {
        return Future.succeededFuture(Optional.empty());
      }
      int colon = ref.indexOf(':');
      String kind = ref.substring(0, colon);
      String id = ref.substring(colon + 1);
      return STAFF.equals(kind)
          ? staff(id).map(o -> o.map(s -> new Account(s, null)))
          : person(id).map(o -> o.map(p -> new Account(null, p)));
    });
  }

  // --- kiosk devices ---

  /** Enrols a kiosk device (set-up, demo); fails 409 when the id exists. */
  public Future<Void> createDevice(KioskDevice d) {
    return createDevice(d, null).map(r -> orConflict(r, "DEVICE_EXISTS", DEVICE_TAKEN));
  }

  Future<CreateRecordScript.Result> createDevice(KioskDevice d, Parked parked) {
    return create.run(Keys.dirRecord(DEVICE, d.id()), d.id(), d.toStored().encode(), List.of(),
        List.of(Keys.dirList(DEVICE, d.establishment())), parked);
  }

  /** Creates a device together with its parked audit entry; false when the id is taken (nothing written). */
  public Future<Boolean> createDeviceAudited(KioskDevice d, Parked parked) {
    return createDevice(d, parked).map(r -> r == CreateRecordScript.Result.CREATED);
  }

  public Future<Optional<KioskDevice>> device(String id) {
    return get(DEVICE, id).map(j -> j.map(KioskDevice::fromJson));
  }

  public Future<Page<KioskDevice>> devices(String establishment, String cursor, int limit) {
    return list(DEVICE, establishment, cursor, limit, j -> true).map(p -> map(p, KioskDevice::fromJson));
  }

  public Future<Change<KioskDevice>> updateDevice(String id, UnaryOperator<KioskDevice> change) {
    return legacy(updateDevice(id, change, null));
  }

  /** Applies a change to a device atomically with its audit entry, parked in {@link Keys#dirAuditOutbox()}. */
  public Future<Optional<Audited<KioskDevice>>> updateDevice(String id, UnaryOperator<KioskDevice> change, AuditOf<KioskDevice> audit) {
    return update(DEVICE, id, KioskDevice::fromJson, KioskDevice::toStored, change, d -> List.of(), audit);
  }

  /** A record before and after a change. */
  public record Change<T>(T before, T after) {}

  /** A change and its parked audit entry (null when not audited). */
  public record Audited<T>(Change<T> change, Parked parked) {}

  /** The audit entry of a change, made from its exact before and after. */
  public interface AuditOf<T> {
    Parked of(T before, T after);
  }

  // the same words whether the record is in the caller's establishment or another's (see PeopleService)
  static final String PRISON_NUMBER_TAKEN = "That prison number cannot be registered again. If she has moved here, "
      + "ask the establishment that registered her to transfer her record.";
  static final String EMAIL_TAKEN = "That email address cannot be used for a new account; use another, or ask an admin "
      + "to find the existing account.";
  static final String DEVICE_TAKEN = "That device id cannot be used; choose another.";

  private static Void orConflict(CreateRecordScript.Result r, String code, String message) {
    if (r != CreateRecordScript.Result.CREATED) {
      throw ApiException.conflict(code, message);
    }
    return null;
  }

  private static <T> Future<Change<T>> legacy(Future<Optional<Audited<T>>> f) {
    return f.map(o -> o.orElseThrow(() -> ApiException.notFound("No such record.")).change())
        .recover(e -> Future.failedFuture(e instanceof PeopleException pe ? ApiException.conflict(pe.code(), pe.getMessage()) : e));
  }

  // --- generic record operations ---

  @SuppressWarnings("unchecked") // one parser per kind, and the kind is in the cache key
  private <T> Future<Optional<T>> getParsed(String kind, String id, Function<JsonObject, T> parse) {
    String key = Keys.dirRecord(kind, id);
    return redis.<String>call(c -> c.get(key)).map(s -> {
      if (s == null) {
        return Optional.<T>empty();
      }
      Parsed last = parsed.getIfPresent(key);
      if (last != null && last.text().equals(s)) {
        return Optional.of((T) last.record());
      }
      T record = parse.apply(new JsonObject(s));
      parsed.put(key, new Parsed(s, record));
      return Optional.of(record);
    });
  }

  private Future<Optional<JsonObject>> get(String kind, String id) {
    return redis.<String>call(c -> c.get(Keys.dirRecord(kind, id))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  private <T> Future<Optional<Audited<T>>> update(String kind, String id, Function<JsonObject, T> read,
      Function<T, JsonObject> write, UnaryOperator<T> change, Function<T, List<String>> lists, AuditOf<T> audit) {
    return update(kind, id, read, write, change, lists, audit, 1);
  }

  private <T> Future<Optional<Audited<T>>> update(String kind, String id, Function<JsonObject, T> read,
      Function<T, JsonObject> write, UnaryOperator<T> change, Function<T, List<String>> lists, AuditOf<T> audit, int attempt) {
    String key = Keys.dirRecord(kind, id);
    return redis.<String>call(c -> c.get(key)).compose(current -> {
      if (current == null) {
        return Future.succeededFuture(Optional.<Audited<T>>empty());
      }
      T before = read.apply(new JsonObject(current));
      T after = change.apply(before);
      Parked parked = audit == null ? null : audit.of(before, after);
      return replace.run(key, lists.apply(after), current, write.apply(after).encode(), id, parked).compose(r -> switch (r) {
        case REPLACED -> Future.succeededFuture(Optional.of(new Audited<>(new Change<>(before, after), parked)));
        case GONE -> Future.succeededFuture(Optional.<Audited<T>>empty());
        case CHANGED_MEANWHILE -> attempt >= MAX_CAS_TRIES
            ? Future.<Optional<Audited<T>>>failedFuture(new PeopleException(PeopleException.Kind.CONFLICT, "CONCURRENT_CHANGE",
                "The record is being changed by someone else; try again."))
            : update(kind, id, read, write, change, lists, audit, attempt + 1);
      });
    });
  }

  /**
   * A page of one kind's records after {@code after} (an id), keeping those {@code keep} accepts. Reads at
   * most {@value #SCAN_BUDGET} records per call, so a search that matches little answers a short page
   * (with a cursor to go on) instead of reading the whole establishment at once.
   */
  private Future<Page<JsonObject>> list(String kind, String establishment, String after, int limit,
      java.util.function.Predicate<JsonObject> keep) {
    return scan(Keys.dirList(kind, establishment), kind, after, limit, keep, new ArrayList<>(), 0);
  }

  private Future<Page<JsonObject>> scan(String listKey, String kind, String after, int limit,
      java.util.function.Predicate<JsonObject> keep, List<JsonObject> found, int read) {
    int want = limit - found.size();
    int batch = Math.min(SCAN_BATCH, Math.max(want + 1, 1));
    Range<String> range = after == null ? Range.unbounded() : Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded());
    return redis.<List<String>>call(c -> c.zrangebylex(listKey, range, Limit.create(0, batch))).compose(ids -> {
      if (ids.isEmpty()) {
        return Future.succeededFuture(new Page<>(found, null));
      }
      String[] keys = ids.stream().map(id -> Keys.dirRecord(kind, id)).toArray(String[]::new);
      return redis.<List<KeyValue<String, String>>>call(c -> c.mget(keys)).compose(values -> {
        String last = after;
        for (int i = 0; i < values.size(); i++) {
          KeyValue<String, String> kv = values.get(i);
          if (kv.hasValue()) {
            JsonObject j = new JsonObject(kv.getValue());
            if (keep.test(j)) {
              if (found.size() == limit) {
                // one more match exists: the page ends at the previous id
                return Future.succeededFuture(new Page<>(found, last));
              }
              found.add(j);
            }
          }
          last = ids.get(i);
        }
        boolean end = ids.size() < batch;
        int total = read + ids.size();
        if (end) {
          return Future.succeededFuture(new Page<>(found, null));
        }
        if (total >= SCAN_BUDGET) {
          return Future.succeededFuture(new Page<>(found, last));
        }
        return scan(listKey, kind, last, limit, keep, found, total);
      });
    });
  }

  private static boolean contains(String value, String needle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(needle);
  }

  private static <T> Page<T> map(Page<JsonObject> p, Function<JsonObject, T> f) {
    return new Page<>(p.items().stream().map(f).toList(), p.nextCursor());
  }
}
