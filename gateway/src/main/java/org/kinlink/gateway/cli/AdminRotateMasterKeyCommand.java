package org.kinlink.gateway.cli;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.crypto.MasterKey;
import org.kinlink.gateway.crypto.SecretBox;
import org.kinlink.gateway.crypto.SecretFile;
import org.kinlink.gateway.messaging.Messaging;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinlink admin rotate-master-key}: replaces {@code <data-dir>/keys/master.key} and re-wraps
 * every data key kept in Redis (conversation keys, the TOTP key, recording keys) under the new one.
 * The old key is kept as {@code master.key.previous} until every data key is re-wrapped, and a
 * gateway started meanwhile opens what either wrapped; a run that stopped half-way is finished by
 * running it again. Data keys already under the new key are left alone, so a second run changes
 * nothing. Run it with the gateways stopped (a running node would go on wrapping new conversations'
 * keys with the old key), then start them: every node reads the new key file. When the key comes
 * from {@code KINLINK_MASTER_KEY} instead, the new one is given in {@code --new-key-file}, only Redis
 * is changed, and the operator sets the variable to the new key on every node.
 */
@Command(name = "rotate-master-key", description = "Replace the master key and re-wrap every stored data key under it.")
public final class AdminRotateMasterKeyCommand implements Callable<Integer> {
  @Mixin
  AdminTarget target;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--new-key-file", description = "file with the new key (base64 of 32 bytes, e.g. openssl rand -base64 32);"
      + " default: a new random key")
  Path newKeyFile;

  @Override
  public Integer call() {
    CommandLine cli = spec.commandLine();
    MasterKey given = newKeyFile == null ? null : readGiven(cli);
    String fromEnv = System.getenv(MasterKey.ENV);
    MasterKey old;
    MasterKey fresh;
    Path previousFile = null;
    String next;
    if (fromEnv != null && !fromEnv.isBlank()) {
      // the key is the deployment's secret, not a file here: re-wrap, and the operator changes the variable
      if (given == null) {
        throw new ParameterException(cli, "--new-key-file: " + MasterKey.ENV + " is set, so give the new key in a file;"
            + " set " + MasterKey.ENV + " to it on every node afterwards");
      }
      old = MasterKey.loadOrCreate(Path.of("."), Optional.of(fromEnv));
      fresh = given;
      next = "Set " + MasterKey.ENV + " on every node to the key in " + newKeyFile + ", then start them.";
    } else {
      if (target.dataDir == null) {
        throw new ParameterException(cli, "--data-dir: the master key lives in the data directory; give it"
            + " (with --redis too when the gateway's Redis is not the embedded one)");
      }
      Path keys = target.dataDir.resolve("keys");
      Path currentFile = keys.resolve("master.key");
      previousFile = keys.resolve(MasterKey.PREVIOUS_FILE);
      if (!Files.exists(currentFile)) {
        throw new ParameterException(cli, "--data-dir: there is no master key at " + currentFile);
      }
      MasterKey current = MasterKey.read(currentFile);
      if (Files.exists(previousFile)) {
        // an earlier run stopped before the end: finish it with the key it had put in place
        if (given != null && !given.keyId().equals(current.keyId())) {
          return AdminBootstrapCommand.refuse(cli, "a rotation to key " + current.keyId() + " has not finished; run"
              + " rotate-master-key again without --new-key-file to finish it first; nothing changed");
        }
        old = MasterKey.read(previousFile);
        fresh = current;
      } else {
        old = current;
        fresh = given != null ? given : MasterKey.of(Aead.newKey());
        if (!fresh.keyId().equals(old.keyId())) {
          replace(keys, currentFile, previousFile, old, fresh);
        }
      }
      next = "Start the gateways now; every node must use the new " + currentFile + ".";
    }
    MasterKey both = fresh.withPrevious(old);
    try (AdminTarget.Session session = target.open()) {
      Redis redis = session.redis();
      int[] counts = new int[2]; // re-wrapped, already under the new key
      Function<String, String> conversationOf = k -> k.substring("kl:{m:".length(), k.length() - "}:key".length());
      for (String key : scan(redis, "kl:{m:*}:key")) {
        String stored = AuditCommand.await(redis.<String>call(c -> c.get(key)));
        if (stored == null) {
          continue;
        }
        JsonObject j = new JsonObject(stored);
        byte[] aad = Messaging.conversationKeyWrapAad(conversationOf.apply(key));
        byte[] rewrapped = rewrap(both, Base64.getDecoder().decode(j.getString("wrapped")), aad, counts);
        if (rewrapped != null) {
          String out = j.copy().put("key_id", fresh.keyId()).put("wrapped", Base64.getEncoder().encodeToString(rewrapped)).encode();
          AuditCommand.await(redis.<String>call(c -> c.set(key, out)));
        }
      }
      String totp = AuditCommand.await(redis.<String>call(c -> c.get(Keys.TOTP_DATA_KEY)));
      if (totp != null) {
        byte[] rewrapped = rewrap(both, Base64.getDecoder().decode(totp), SecretBox.wrapAad("totp"), counts);
        if (rewrapped != null) {
          AuditCommand.await(redis.<String>call(c -> c.set(Keys.TOTP_DATA_KEY, Base64.getEncoder().encodeToString(rewrapped))));
        }
      }
      for (String hash : scan(redis, Keys.callRecordings("*"))) {
        Map<String, String> fields = AuditCommand.await(redis.<Map<String, String>>call(c -> c.hgetall(hash)));
        for (var f : fields.entrySet()) {
          if (!f.getKey().endsWith(":key")) {
            continue;
          }
          String recording = f.getKey().substring(0, f.getKey().length() - ":key".length());
          byte[] rewrapped = rewrap(both, Base64.getDecoder().decode(f.getValue()), recording.getBytes(StandardCharsets.UTF_8), counts);
          if (rewrapped != null) {
            AuditCommand.await(redis.<Boolean>call(c -> c.hset(hash, f.getKey(), Base64.getEncoder().encodeToString(rewrapped))));
          }
        }
      }
      session.audit(session.event("master_key.rotate").outcome("OK").detail("from_key", old.keyId())
          .detail("to_key", fresh.keyId()).detail("rewrapped", counts[0]).detail("already_rewrapped", counts[1]));
      if (previousFile != null) {
        try {
          Files.deleteIfExists(previousFile);
        } catch (IOException e) {
          throw new UncheckedIOException("the data keys are re-wrapped, but " + previousFile + " could not be deleted", e);
        }
      }
      cli.getOut().println("master key: " + fresh.keyId() + " (was " + old.keyId() + ")");
      cli.getOut().println("re-wrapped: " + counts[0] + " data keys (" + counts[1] + " already under the new key)");
      cli.getOut().println(next);
      cli.getOut().flush();
      return 0;
    }
  }

  /** Keeps the old key beside the new one (a gateway started meanwhile opens both), then swaps the new one in atomically. */
  private static void replace(Path keys, Path currentFile, Path previousFile, MasterKey old, MasterKey fresh) {
    try {
      SecretFile.createOnce(previousFile, old.fileContent());
      Path staged = keys.resolve("master.key.next");
      Files.deleteIfExists(staged);
      SecretFile.createOnce(staged, fresh.fileContent());
      Files.move(staged, currentFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the new master key in " + keys, e);
    }
  }

  private MasterKey readGiven(CommandLine cli) {
    if (!Files.isRegularFile(newKeyFile)) {
      throw new ParameterException(cli, "--new-key-file: there is no file " + newKeyFile);
    }
    try {
      return MasterKey.read(newKeyFile);
    } catch (RuntimeException e) {
      throw new ParameterException(cli, "--new-key-file: " + e.getMessage());
    }
  }

  /** The data key wrapped under the new key, or null when it already is (counted either way). */
  private static byte[] rewrap(MasterKey both, byte[] wrapped, byte[] aad, int[] counts) {
    if (MasterKey.wrappedKeyId(wrapped).equals(both.keyId())) {
      counts[1]++;
      return null;
    }
    byte[] plain = both.unwrap(wrapped, aad);
    try {
      counts[0]++;
      return both.wrap(plain, aad);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static java.util.List<String> scan(Redis redis, String pattern) {
    java.util.List<String> out = new java.util.ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor from = cursor;
      KeyScanCursor<String> page = AuditCommand.await(redis.call(c -> c.scan(from, ScanArgs.Builder.matches(pattern).limit(500))));
      out.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return out;
  }
}
