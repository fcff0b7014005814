package org.kinlink.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.support.KinlinkExtension;

/**
 * The node talks to Redis over several connections; what callers can rely on is kept: writes one
 * event loop sends without waiting arrive in the order sent, and a command that must follow a
 * key's scripts (WAITAOF, which answers only for its own connection) goes down their connection.
 */
class RedisLanesTest {
  @RegisterExtension
  static final KinlinkExtension kinlink = KinlinkExtension.create();

  private static final LuaScript PUSH = new LuaScript("test-rpush", "return redis.call('RPUSH', KEYS[1], ARGV[1])");

  @Test
  void writesOneEventLoopSendsWithoutWaitingArriveInTheOrderSent() {
    Redis redis = kinlink.redis();
    String plain = "lanes-test:plain:" + UUID.randomUUID();
    String scripted = "lanes-test:scripted:" + UUID.randomUUID();
    Promise<Void> sent = Promise.promise();
    kinlink.vertx().runOnContext(v -> {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        String n = Integer.toString(i);
        all.add(redis.call(c -> c.rpush(plain, n)));
        all.add(redis.<Long>eval(PUSH, ScriptOutputType.INTEGER, new String[] {scripted}, n));
      }
      Future.all(all).<Void>mapEmpty().onComplete(sent);
    });
    Gateway.await(sent.future());

    List<String> expected = IntStream.range(0, 500).mapToObj(Integer::toString).toList();
    assertEquals(expected, Gateway.await(redis.call(c -> c.lrange(plain, 0, -1))), "plain commands in the order sent");
    assertEquals(expected, Gateway.await(redis.call(c -> c.lrange(scripted, 0, -1))), "scripts on one key in the order sent");
  }

  @Test
  void aCommandBesideAKeyGoesDownTheConnectionItsScriptsRanOn() {
    Redis redis = kinlink.redis();
    try (Redis onlooker = Redis.connect(kinlink.redisUrl(), java.time.Duration.ofSeconds(5))) {
      for (int k = 0; k < 16; k++) {
        // several keys, so that more than one lane is exercised
        String key = "lanes-test:beside:" + k + ":" + UUID.randomUUID();
        Gateway.await(redis.<Long>eval(PUSH, ScriptOutputType.INTEGER, new String[] {key}, "x"));
        // taken before the command beside the key, so the connection's last command is still the script
        // (by another client: listing on one of the node's own connections would change that one's last command)
        String clients = Gateway.await(onlooker.call(c -> c.clientList()));
        Long id = Gateway.await(redis.callBesideKey(key, c -> c.clientId()));
        String line = clients.lines().filter(l -> l.startsWith("id=" + id + " ")).findFirst().orElse("");
        assertTrue(line.contains(" cmd=evalsha") || line.contains(" cmd=eval "),
            "the connection beside " + key + " last ran the script: " + line);
      }
    }
  }
}
