package org.kinlink.gateway.people;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
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
import org.kinlink.gateway.redis.LuaScript;
import org.kinlink.gateway.redis.Redis;

/**
 * The identity directory in Redis: establishments, prisoners, people outside, staff accounts and
 * kiosk devices. Records are JSON strings under {@link Keys#DIR}; creation (record + unique
 * indexes + lists) and changes (compare-and-set on the record read) are single Lua scripts.
 */
public final class Directory {
  static final String EST = "est";
  static final String PRISONER = "prisoner";
  static final String PERSON = "person";
  static final String STAFF = "staff";
  static final String DEVICE = "device";
  private static final LuaScript CREATE = LuaScript.load("auth-dir-create");
  private static final LuaScript REPLACE = LuaScript.load("auth-dir-replace");
  private static final int MAX_CAS_TRIES = 5;

  private final Redis redis;
  private volatile SecretBox totpSecrets;

  public Directory(Redis redis) {
    this.redis = redis;
  }

  /**
   * From now on TOTP secrets are written sealed (the gateway sets this at start; a directory used
   * without it, e.g. by a CLI, writes them as given and the gateway seals them at its next start).
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
    return list(EST, null, null, 1000).map(p -> p.items().stream().map(Establishment::fromJson).toList());
  }

  // --- prisoners ---

  /** Creates a prisoner; 409 when the prison number is already registered. */
  public Future<Void> createPrisoner(Prisoner p) {
    return create(PRISONER, p.id(), p.toStored(), List.of(), List.of(), List.of(Keys.dirList(PRISONER, p.establishment())))
        .map(r -> {
          if (!"OK".equals(r)) {
            throw ApiException.conflict("PRISON_NUMBER_TAKEN", "Prison number " + p.prisonNumber() + " is already registered.");
          }
          return null;
        });
  }

  public Future<Optional<Prisoner>> prisoner(String id) {
    return get(PRISONER, id).map(j -> j.map(Prisoner::fromStored));
  }

  public Future<Optional<Prisoner>> prisonerByNumber(String prisonNumber) {
    return prisoner(PrisonNumber.prisonerId(prisonNumber));
  }

  public Future<Page<Prisoner>> prisoners(String establishment, String cursor, int limit) {
    return list(PRISONER, establishment, cursor, limit).map(p -> map(p, Prisoner::fromStored));
  }

  /** Applies a change to a prisoner atomically; answers the before and after records. */
  public Future<Change<Prisoner>> updatePrisoner(String id, UnaryOperator<Prisoner> change) {
    return update(PRISONER, id, Prisoner::fromStored, Prisoner::toStored, change, p -> List.of());
  }

  // --- people outside ---

  /** Creates a person outside; 409 when the email is already used by any account. */
  public Future<Void> createPerson(PersonOutside p) {
    List<String> idx = p.email() == null ? List.of() : List.of(Keys.dirEmail(sha256(p.email())));
    List<String> vals = p.email() == null ? List.of() : List.of(PERSON + ":" + p.id());
    List<String> lists = new ArrayList<>();
    lists.add(Keys.dirList(PERSON, null));
    p.establishments().forEach(e -> lists.add(Keys.dirList(PERSON, e)));
    return create(PERSON, p.id(), sealed(p.id(), p.toStored()), idx, vals, lists).map(r -> {
      if (r.startsWith("TAKEN")) {
        throw ApiException.conflict("EMAIL_TAKEN", "That email address already has an account.");
      }
      if (!"OK".equals(r)) {
        throw ApiException.conflict("ID_TAKEN", "A person with id " + p.id() + " already exists.");
      }
      return null;
    });
  }

  public Future<Optional<PersonOutside>> person(String id) {
    return get(PERSON, id).map(j -> j.map(PersonOutside::fromStored));
  }

  public Future<Page<PersonOutside>> people(String establishment, String cursor, int limit) {
    return list(PERSON, establishment, cursor, limit).map(p -> map(p, PersonOutside::fromStored));
  }

  /** Applies a change to a person atomically (new establishments get listed too). */
  public Future<Change<PersonOutside>> updatePerson(String id, UnaryOperator<PersonOutside> change) {
    return update(PERSON, id, PersonOutside::fromStored, x -> sealed(x.id(), x.toStored()), change,
        p -> p.establishments().stream().map(e -> Keys.dirList(PERSON, e)).toList());
  }

  // --- staff ---

  /** Creates a staff account; 409 when the email is already used by any account. */
  public Future<Void> createStaff(StaffAccount s) {
    return create(STAFF, s.id(), sealed(s.id(), s.toStored()), List.of(Keys.dirEmail(sha256(s.email()))), List.of(STAFF + ":" + s.id()),
        List.of(Keys.dirList(STAFF, s.establishment()))).map(r -> {
          if (r.startsWith("TAKEN")) {
            throw ApiException.conflict("EMAIL_TAKEN", "That email address already has an account.");
          }
          if (!"OK".equals(r)) {
            throw ApiException.conflict("ID_TAKEN", "A staff account with id " + s.id() + " already exists.");
          }
          return null;
        });
  }

  public Future<Optional<StaffAccount>> staff(String id) {
    return get(STAFF, id).map(j -> j.map(StaffAccount::fromStored));
  }

  public Future<Page<StaffAccount>> staffList(String establishment, String cursor, int limit) {
    return list(STAFF, establishment, cursor, limit).map(p -> map(p, StaffAccount::fromStored));
  }

  public Future<Change<StaffAccount>> updateStaff(String id, UnaryOperator<StaffAccount> change) {
    return update(STAFF, id, StaffAccount::fromStored, x -> sealed(x.id(), x.toStored()), change, s -> List.of());
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

  /** Enrols a kiosk device; 409 when the id exists. */
  public Future<Void> createDevice(KioskDevice d) {
    return create(DEVICE, d.id(), d.toStored(), List.of(), List.of(), List.of(Keys.dirList(DEVICE, d.establishment())))
        .map(r -> {
          if (!"OK".equals(r)) {
            throw ApiException.conflict("DEVICE_EXISTS", "A device with id " + d.id() + " already exists.");
          }
          return null;
        });
  }

  public Future<Optional<KioskDevice>> device(String id) {
    return get(DEVICE, id).map(j -> j.map(KioskDevice::fromJson));
  }

  public Future<Page<KioskDevice>> devices(String establishment, String cursor, int limit) {
    return list(DEVICE, establishment, cursor, limit).map(p -> map(p, KioskDevice::fromJson));
  }

  public Future<Change<KioskDevice>> updateDevice(String id, UnaryOperator<KioskDevice> change) {
    return update(DEVICE, id, KioskDevice::fromJson, KioskDevice::toStored, change, d -> List.of());
  }

  /** A record before and after a change. */
  public record Change<T>(T before, T after) {}

  // --- generic record operations ---

  private Future<String> create(String kind, String id, JsonObject json, List<String> indexKeys, List<String> indexValues,
      List<String> lists) {
    List<String> keys = new ArrayList<>();
    keys.add(Keys.dirRecord(kind, id));
    keys.addAll(indexKeys);
    keys.addAll(lists);
    List<String> args = new ArrayList<>(List.of(json.encode(), id, Integer.toString(indexKeys.size())));
    args.addAll(indexValues);
    return redis.eval(CREATE, ScriptOutputType.VALUE, keys.toArray(String[]::new), args.toArray(String[]::new));
  }

  private Future<Optional<JsonObject>> get(String kind, String id) {
    return redis.<String>call(c -> c.get(Keys.dirRecord(kind, id))).map(s -> Optional.ofNullable(s).map(JsonObject::new));
  }

  private <T> Future<Change<T>> update(String kind, String id, Function<JsonObject, T> read, Function<T, JsonObject> write,
      UnaryOperator<T> change, Function<T, List<String>> lists) {
    return update(kind, id, read, write, change, lists, 1);
  }

  private <T> Future<Change<T>> update(String kind, String id, Function<JsonObject, T> read, Function<T, JsonObject> write,
      UnaryOperator<T> change, Function<T, List<String>> lists, int attempt) {
    String key = Keys.dirRecord(kind, id);
    return redis.<String>call(c -> c.get(key)).compose(current -> {
      if (current == null) {
        return Future.failedFuture(ApiException.notFound("No such record."));
      }
      T before = read.apply(new JsonObject(current));
      T after = change.apply(before);
      List<String> keys = new ArrayList<>();
      keys.add(key);
      keys.addAll(lists.apply(after));
      return redis.<Long>eval(REPLACE, ScriptOutputType.INTEGER, keys.toArray(String[]::new), current, write.apply(after).encode(), id)
          .compose(r -> {
            if (r == 1) {
              return Future.succeededFuture(new Change<>(before, after));
            }
            if (r == -1) {
              return Future.failedFuture(ApiException.notFound("No such record."));
            }
            if (attempt >= MAX_CAS_TRIES) {
              return Future.failedFuture(ApiException.conflict("CONCURRENT_CHANGE", "The record is being changed by someone else; try again."));
            }
            return update(kind, id, read, write, change, lists, attempt + 1);
          });
    });
  }

  private Future<Page<JsonObject>> list(String kind, String establishment, String cursor, int limit) {
    String listKey = Keys.dirList(kind, establishment);
    Range<String> range = cursor == null ? Range.unbounded() : Range.from(Range.Boundary.excluding(cursor), Range.Boundary.unbounded());
    return redis.<List<String>>call(c -> c.zrangebylex(listKey, range, Limit.create(0, limit + 1))).compose(ids -> {
      boolean more = ids.size() > limit;
      List<String> pageIds = more ? ids.subList(0, limit) : ids;
      if (pageIds.isEmpty()) {
        return Future.succeededFuture(new Page<>(List.of(), null));
      }
      String[] keys = pageIds.stream().map(id -> Keys.dirRecord(kind, id)).toArray(String[]::new);
      return redis.<List<KeyValue<String, String>>>call(c -> c.mget(keys)).map(values -> {
        List<JsonObject> items = new ArrayList<>();
        for (KeyValue<String, String> kv : values) {
          if (kv.hasValue()) {
            items.add(new JsonObject(kv.getValue()));
          }
        }
        return new Page<>(items, more ? pageIds.get(pageIds.size() - 1) : null);
      });
    });
  }

  private static <T> Page<T> map(Page<JsonObject> p, Function<JsonObject, T> f) {
    return new Page<>(p.items().stream().map(f).toList(), p.nextCursor());
  }
}
