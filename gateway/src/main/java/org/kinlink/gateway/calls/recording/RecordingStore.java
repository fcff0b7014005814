package org.kinlink.gateway.calls.recording;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinlink.gateway.crypto.Aead;
import org.kinlink.gateway.redis.Keys;
import org.kinlink.gateway.redis.Redis;
import org.kinlink.gateway.redis.StoreUnavailableException;

/**
 * Where recordings' media lives: each chunk sealed with AES-256-GCM under the recording's data key
 * (bound to the recording id and seq) and kept as a file ({@link ChunkFiles}, durable before it is
 * answered for), counted once per seq in Redis beside the recording's counters, in its own slot
 * ({@code {r:<recording>}}): Redis holds a few hundred bytes per recording, never its media. The
 * kiosk's chunks and Jibri's streamed upload both come through here, so security plays them the same
 * way; a recording stored before chunks were files (its chunks in Redis) still plays and is deleted.
 * Sealing, opening and every file run on a worker; nothing here holds more than one chunk.
 */
public final class RecordingStore {
  /** Old chunk keys deleted per DEL: every chunk of a recording shares its slot, so a batch is one command even in a cluster. */
  private static final int DELETE_BATCH = 500;
  /** Highest seq taken (the kiosk's API says so too): the seqs bitmap of a recording stays at most 125 KB. */
  public static final long MAX_SEQ = 1_000_000;

  private final Vertx vertx;
  private final Redis redis;
  private final ChunkFiles files;
  private final CountChunkScript script;

  public RecordingStore(Vertx vertx, Redis redis, ChunkFiles files) {
    this.vertx = vertx;
    this.redis = redis;
    this.files = files;
    this.script = new CountChunkScript(redis);
  }

  /** The chunk files (for the tests and tools that look at them). */
  public ChunkFiles files() {
    return files;
  }

  /**
   * A recording's counters: chunks and plaintext bytes stored, {@code next} one past the highest seq
   * (playback reads 0 to next - 1, a seq never sent is a gap), {@code last} when the latest live chunk came (or null).
   */
  public record Counts(long chunks, long bytes, long next, String last) {
    public static final Counts NONE = new Counts(0, 0, 0, null);

    static Counts of(Map<String, String> h) {
      return new Counts(number(h.get("chunks")), number(h.get("bytes")), number(h.get("next")), h.get("last"));
    }

    private static long number(String s) {
      return s == null ? 0 : Long.parseLong(s);
    }
  }

  /**
   * Seals {@code plain} as chunk {@code seq} and stores it unless that seq is already there (the first
   * is kept, and the counters count it once); true when it was new. {@code at} is the live chunk's arrival
   * ({@link Counts#last}), null for an upload of a finished recording.
   */
  public Future<Boolean> put(String recordingId, long seq, byte[] dataKey, byte[] plain, Instant at) {
    if (seq < 0 || seq > MAX_SEQ) {
      return Future.failedFuture(new IllegalArgumentException("a chunk's seq is 0 to " + MAX_SEQ + ", not " + seq));
    }
    return vertx.executeBlocking(() -> files.write(recordingId, seq, Aead.seal(dataKey, plain, aad(recordingId, seq))), false)
        // a full or unreachable recordings disk: a 503 the kiosk retries, nothing acknowledged
        .recover(e -> Future.failedFuture(e instanceof java.io.IOException
            ? new StoreUnavailableException("recording chunk " + recordingId + "/" + seq + " not written: " + e, e) : e))
        .compose(written -> script.run(recordingId, seq, written.plainBytes(), at))
        .compose(r -> r.legacy()
            // that seq was stored in Redis before chunks were files: that one plays, so the file must not shadow it
            ? vertx.executeBlocking(() -> {
              files.delete(recordingId, seq);
              return false;
            }, false)
            : Future.succeededFuture(r.counted()));
  }

  public Future<Counts> counts(String recordingId) {
    return redis.<Map<String, String>>call(c -> c.hgetall(Keys.recordingCounts(recordingId))).map(Counts::of);
  }

  /** Chunk {@code seq} opened, or null where that seq was never stored. */
  public Future<Buffer> open(String recordingId, long seq, byte[] dataKey) {
    return vertx.executeBlocking(() -> opened(recordingId, seq, dataKey, files.read(recordingId, seq)), false)
        .compose(chunk -> chunk != null ? Future.succeededFuture(chunk)
            : redis.<byte[]>binary(c -> c.get(Keys.recordingChunk(recordingId, seq))).compose(sealed -> sealed == null
                ? Future.succeededFuture(null)
                : vertx.executeBlocking(() -> opened(recordingId, seq, dataKey, sealed), false)));
  }

  /** Deletes the chunks (retention): files and any old chunk keys; the counters stay, as what the recording was. */
  public Future<Void> deleteChunks(String recordingId) {
    return counts(recordingId).compose(n -> deleteChunks(recordingId, n.next()));
  }

  /** Deletes the chunks, the counters and the recording's link to its call: as if it had never been stored. */
  public Future<Void> forget(String recordingId) {
    return deleteChunks(recordingId)
        .compose(v -> redis.<Long>call(c -> c.del(Keys.recordingCounts(recordingId), Keys.recordingCall(recordingId))))
        .mapEmpty();
  }

  private Future<Void> deleteChunks(String recordingId, long next) {
    Future<Void> chain = vertx.executeBlocking(() -> {
      files.deleteAll(recordingId);
      return null;
    }, false).compose(v -> redis.<Long>call(c -> c.del(Keys.recordingSeqs(recordingId)))).mapEmpty();
    for (long from = 0; from < next; from += DELETE_BATCH) {
      List<String> keys = new ArrayList<>();
      for (long i = from; i < Math.min(next, from + DELETE_BATCH); i++) {
        keys.add(Keys.recordingChunk(recordingId, i));
      }
      chain = chain.compose(v -> redis.<Long>call(c -> c.del(keys.toArray(String[]::new)))).mapEmpty();
    }
    return chain;
  }

  private static Buffer opened(String recordingId, long seq, byte[] dataKey, byte[] sealed) {
    return sealed == null ? null : Buffer.buffer(Aead.open(dataKey, sealed, aad(recordingId, seq)));
  }

  private static byte[] aad(String recordingId, long seq) {
    return (recordingId + ":" + seq).getBytes(StandardCharsets.UTF_8);
  }
}
