package org.kinlink.gateway.audit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScoredValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kinlink.gateway.audit.AuditVerification.Kind;
import org.kinlink.gateway.audit.AuditVerification.Problem;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;

/**
 * Proves the chain is whole, for the API and the CLI alike. It walks from entry 1 to the head in
 * pages, and for each entry checks that it sits at its own seq, that its content hashes to its
 * {@code hash}, and that its {@code prev_hash} is the recomputed hash of the entry before (entry 1:
 * {@link ChainHash#GENESIS}). Then every checkpoint in Redis, plus the one in the node's data
 * directory, must carry a valid Ed25519 signature by a published (or this node's own) key and
 * name the hash the chain has at its seq; a checkpoint beyond the end of the chain means the tail
 * was cut off. The newest head in the node's {@link AuditHeadFile} is checked like a checkpoint: it
 * covers every entry this node acknowledged, including those after the last checkpoint. The answer names the lowest-numbered problem.
 */
public final class AuditVerifier {
  private static final int PAGE = 1000;

  private final Redis redis;
  private final String ns;
  private final Vertx vertx;

  /**
   * @param vertx when given, hashing runs on worker threads (the API); null runs it inline (the CLI)
   */
  public AuditVerifier(Redis redis, String namespace, Vertx vertx) {
    this.redis = redis;
    this.ns = namespace;
    this.vertx = vertx;
  }

  /** A checkpoint and where it came from, for messages. */
  private record Sourced(AuditCheckpoint checkpoint, String origin, boolean pinnedHead) {}

  /** Where the walk got to. Touched by one step at a time. */
  private static final class Walk {
    String prev = ChainHash.GENESIS;
    long verified;
    Problem problem;
    final Map<Long, String> hashes = new HashMap<>();
  }

  /**
   * Verifies the chain.
   *
   * @param file this node's checkpoint file, if it has one
   * @param ownKey this node's signing key, trusted even when Redis lost the published keys
   */
  public Future<AuditVerification> verify(Optional<AuditCheckpointFile> file, Optional<AuditSigningKey> ownKey) {
    Future<List<String>> head = redis.call(c -> c.hmget(Keys.auditHead(ns), "seq", "hash"))
        .map(kvs -> kvs.stream().map(kv -> kv.getValueOrElse(null)).toList());
    Future<Long> stored = redis.call(c -> c.hlen(Keys.auditEntries(ns)));
    Future<List<ScoredValue<String>>> cps = redis.call(c -> c.zrangeWithScores(Keys.auditCheckpoints(ns), 0, -1));
    Future<Map<String, String>> keys = redis.call(c -> c.hgetall(Keys.auditKeys(ns)));
    Future<FileRead> fromFile = blocking(() -> readFile(file));
    return Future.all(head, stored, cps, keys, fromFile).compose(all -> {
      long headSeq = Long.parseLong(Optional.ofNullable(head.result().get(0)).orElse("0"));
      String headHash = Optional.ofNullable(head.result().get(1)).orElse(ChainHash.GENESIS);
      Map<String, String> trusted = new HashMap<>(keys.result());
      ownKey.ifPresent(k -> trusted.putIfAbsent(k.keyId(), k.publicKeyBase64()));
      List<Problem> problems = new ArrayList<>();
      List<Sourced> checkpoints = new ArrayList<>();
      for (ScoredValue<String> sv : cps.result()) {
        try {
          checkpoints.add(new Sourced(AuditCheckpoint.decode(sv.getValue()), "in Redis", false));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem((long) sv.getScore(), Kind.BAD_SIGNATURE, "a checkpoint in Redis is unreadable"));
        }
      }
      problems.addAll(fromFile.result().problems());
      fromFile.result().checkpoint().ifPresent(cp -> checkpoints.add(new Sourced(cp, "in " + file.get().path(), false)));
      fromFile.result().head().ifPresent(cp -> checkpoints.add(new Sourced(cp, "in " + file.get().heads().path(), true)));
      Walk walk = new Walk();
      java.util.Set<Long> wanted = new java.util.HashSet<>();
      checkpoints.forEach(s -> wanted.add(s.checkpoint().seq()));
      return walk(1, headSeq, walk, wanted).map(done -> {
        if (walk.problem == null) {
          if (!walk.prev.equals(headHash)) {
            walk.problem = new Problem(headSeq, Kind.ALTERED, "the chain head records hash " + abbrev(headHash)
                + " but entry " + headSeq + " hashes to " + abbrev(walk.prev));
          } else if (stored.result() > headSeq) {
            walk.problem = new Problem(headSeq + 1, Kind.UNLINKED, (stored.result() - headSeq)
                + " entries are stored beyond the head (entry " + headSeq + ")");
          }
        }
        if (walk.problem != null) {
          problems.add(walk.problem);
        }
        AuditCheckpoint lastGood = null;
        for (Sourced s : checkpoints) {
          AuditCheckpoint cp = s.checkpoint();
          String key = trusted.get(cp.keyId());
          if (key == null) {
            problems.add(new Problem(cp.seq(), Kind.UNKNOWN_KEY, "checkpoint " + cp.seq() + " " + s.origin()
                + " is signed by key " + cp.keyId() + ", which no node published"));
          } else if (!cp.verifiedBy(key)) {
            problems.add(new Problem(cp.seq(), Kind.BAD_SIGNATURE, "checkpoint " + cp.seq() + " " + s.origin()
                + " does not carry a valid signature by key " + cp.keyId()));
          } else if (cp.seq() > walk.verified) {
            if (walk.problem == null) {
              problems.add(new Problem(walk.verified + 1, Kind.TRUNCATED, "truncated after checkpoint " + cp.seq()
                  + ": the chain ends at entry " + walk.verified + " but checkpoint " + cp.seq() + " " + s.origin()
                  + " (key " + cp.keyId() + ") proves it reached entry " + cp.seq()));
            }
          } else if (!cp.hash().equals(walk.hashes.get(cp.seq()))) {
            problems.add(new Problem(cp.seq(), Kind.CHECKPOINT_MISMATCH, "checkpoint " + cp.seq() + " " + s.origin()
                + " is validly signed but names hash " + abbrev(cp.hash()) + ", not the chain's "
                + abbrev(walk.hashes.get(cp.seq())) + ": entries up to " + cp.seq() + " were rewritten"));
          } else if (!s.pinnedHead() && (lastGood == null || cp.seq() > lastGood.seq())) {
            lastGood = cp;
          }
        }
        Problem first = problems.stream().min(Comparator.comparingLong(Problem::seq)).orElse(null);
        return new AuditVerification(first == null, headSeq, lastGood, first);
      });
    });
  }

  private record FileRead(Optional<AuditCheckpoint> checkpoint, Optional<AuditCheckpoint> head, List<Problem> problems) {}

  private static FileRead readFile(Optional<AuditCheckpointFile> file) {
    if (file.isEmpty()) {
      return new FileRead(Optional.empty(), Optional.empty(), List.of());
    }
    List<Problem> problems = new ArrayList<>();
    Optional<AuditCheckpoint> checkpoint = Optional.empty();
    Optional<AuditCheckpoint> head = Optional.empty();
    try {
      checkpoint = file.get().read();
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(0, Kind.BAD_SIGNATURE, "the checkpoint file " + file.get().path() + " is unreadable: " + e.getMessage()));
    }
    try {
      head = file.get().heads().last();
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(0, Kind.BAD_SIGNATURE, "the head file " + file.get().heads().path() + " is unreadable: " + e.getMessage()));
    }
    return new FileRead(checkpoint, head, problems);
  }

  private Future<Void> walk(long from, long headSeq, Walk walk, java.util.Set<Long> wanted) {
    if (from > headSeq || walk.problem != null) {
      return Future.succeededFuture();
    }
    long to = Math.min(headSeq, from + PAGE - 1);
    String[] fields = new String[(int) (to - from + 1)];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = Long.toString(from + i);
    }
    return redis.call(c -> c.hmget(Keys.auditEntries(ns), fields))
        .compose(values -> blocking(() -> {
          check(from, values, walk, wanted);
          return null;
        }))
        .compose(v -> walk(to + 1, headSeq, walk, wanted));
  }

  private static void check(long from, List<KeyValue<String, String>> values, Walk walk, java.util.Set<Long> wanted) {
    for (int i = 0; i < values.size() && walk.problem == null; i++) {
      long seq = from + i;
      KeyValue<String, String> kv = values.get(i);
      if (!kv.hasValue()) {
        walk.problem = new Problem(seq, Kind.MISSING, "entry " + seq + " is missing");
        return;
      }
      JsonObject json;
      AuditEntry entry;
      try {
        json = new JsonObject(kv.getValue());
        entry = AuditCodec.fromJson(json);
      } catch (RuntimeException e) {
        walk.problem = new Problem(seq, Kind.ALTERED, "entry " + seq + " is not a readable entry any more");
        return;
      }
      if (entry.seq() != seq) {
        walk.problem = new Problem(seq, Kind.OUT_OF_ORDER, "position " + seq + " holds entry " + entry.seq());
        return;
      }
      String recomputed = ChainHash.of(entry.prevHash(), CanonicalJson.bytes(AuditCodec.canonicalOf(json)));
      if (!recomputed.equals(entry.hash())) {
        walk.problem = new Problem(seq, Kind.ALTERED, "entry " + seq + " was altered: its content no longer matches its hash");
        return;
      }
      if (!walk.prev.equals(entry.prevHash())) {
        // the entry is self-consistent, so either the one before was rewritten (hash recomputed) or this link was
        walk.problem = seq == 1
            ? new Problem(1, Kind.ALTERED, "entry 1 does not start from the genesis hash")
            : new Problem(seq - 1, Kind.ALTERED, "entry " + (seq - 1) + " was altered: entry " + seq
                + " links to a different hash (or its link was rewritten)");
        if (seq > 1) {
          walk.verified = seq - 2;
        }
        return;
      }
      walk.prev = recomputed;
      walk.verified = seq;
      if (wanted.contains(seq)) {
        walk.hashes.put(seq, recomputed);
      }
    }
  }

  private <T> Future<T> blocking(Callable<T> work) {
    if (vertx == null) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(work, true);
  }

  private static String abbrev(String hash) {
    return hash == null ? "(none)" : hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
  }
}
