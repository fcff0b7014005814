package org.kinlink.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.kinlink.gateway.Gateway;
import org.kinlink.gateway.auth.AuthFixture;
import org.kinlink.gateway.config.GatewayConfig;
import org.kinlink.gateway.redis.Redis;

/**
 * Everything a gateway test needs, started once per test class and torn down after it: a Redis
 * database of the class's own, a Vert.x instance for clients, a {@link TestClock}, and gateway nodes
 * on loopback that run on that clock.
 *
 * <pre>{@code
 * class SomethingTest {
 *   @RegisterExtension
 *   static final KinlinkExtension kinlink = KinlinkExtension.create();
 *
 *   @Test
 *   void aLockEndsWhenItsTimeComes() {
 *     AuthFixture fx = kinlink.establishment();       // a fresh establishment on kinlink.gateway()
 *     WebClient client = kinlink.client();           // from its own 127.x.y.z source address
 *     String token = fx.staffToken(client, Role.OFFICER);
 *     kinlink.clock().advance(Duration.ofMinutes(16)); // instead of waiting
 *     List<Gateway> both = kinlink.nodes(2);          // a second node on the same Redis and clock
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Redis</b>: the shared test Redis ({@link TestRedis}: bundled, or {@code KINLINK_REDIS_URL}).
 *       Each class leases one of databases 1-15 and finds it empty, so the gateway's fixed keys (the
 *       audit chain, the token key, the demo marker) are the class's own and classes may run in
 *       parallel, in one JVM or several on one Redis. {@link #redis()} and {@link #redisUrl()} reach it.
 *   <li><b>Clock</b>: every node decides by it (sign-in codes, tokens, sessions, lockouts, suspensions,
 *       audit times). It starts at the real time and goes on at the real pace, so that records made
 *       one after another keep their order, until the test moves it ({@link #frozenClock()} for one
 *       that stands still). Timers still fire in real time, so a sweep that should see a moved clock
 *       is run by hand (e.g. {@code contacts().suspensionEnds().sweep()}). Moving the clock past the
 *       access-token life (10 min) expires every access token, as that much real time would.
 *   <li><b>Gateway</b>: {@link #gateway()} starts node 0 on first use (plain HTTP, free port, one
 *       verticle, own data dir); {@link #nodes(int)} starts more on the same Redis and clock.
 *       {@link #configure} changes the config of every node (e.g. a short access-token life);
 *       {@link #start(GatewayConfig)} starts one of a config of the test's own (e.g. its own Redis).
 *   <li><b>Sign-in</b>: {@link #establishment()} is an {@link AuthFixture} for a fresh establishment
 *       (staff, prisoners, devices, people, signed in); {@link #totp(String)} makes one-time codes on
 *       the test clock.
 *   <li>{@code Vertx} and {@code TestClock} test-method parameters are resolved (use this instead of
 *       {@code VertxExtension}, not beside it).
 * </ul>
 *
 * <p>Registered on an instance field instead of a static one, everything is per test method.
 * {@code @Nested} classes share their outer class's setup.
 */
public final class KinlinkExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, ParameterResolver {
  private final UnaryOperator<GatewayConfig> configure;
  private final boolean frozen;
  private boolean perClass;
  private int classDepth;
  private TestClock clock;
  private Vertx vertx;
  private TestRedis.Lease database;
  private Redis redis;
  /** One recordings dir for all the class's nodes, as a deployment shares one between its nodes. */
  private Path recordings;
  private final List<Gateway> nodes = new ArrayList<>();
  private final List<Gateway> others = new ArrayList<>();

  private KinlinkExtension(UnaryOperator<GatewayConfig> configure, boolean frozen) {
    this.configure = configure;
    this.frozen = frozen;
  }

  /** The usual setup (a running clock). */
  public static KinlinkExtension create() {
    return new KinlinkExtension(UnaryOperator.identity(), false);
  }

  /** The same, with every node's config changed by {@code change} (applied after the test defaults). */
  public KinlinkExtension configure(UnaryOperator<GatewayConfig> change) {
    UnaryOperator<GatewayConfig> before = configure;
    return new KinlinkExtension(c -> change.apply(before.apply(c)), frozen);
  }

  /** The same, with a clock that stands still between the test's moves (starting at the real time). */
  public KinlinkExtension frozenClock() {
    return new KinlinkExtension(configure, true);
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    // @Nested classes inherit the extension and call back here too: only the outermost opens and closes
    perClass = true;
    if (classDepth++ == 0) {
      open();
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (--classDepth == 0) {
      close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      open();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }

  private synchronized void open() {
    clock = frozen ? TestClock.frozen(Instant.now()) : TestClock.running();
    vertx = Vertx.vertx();
    database = TestRedis.lease();
    try {
      recordings = Files.createTempDirectory("kinlink-test-recordings");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void close() {
    // nodes first (they finish their requests and stop their timers), then what they used
    List<Path> dataDirs = new ArrayList<>();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      dataDirs.add(nodes.get(i).services().config().dataDir());
      nodes.get(i).close();
    }
    nodes.clear();
    others.forEach(node -> {
      dataDirs.add(node.services().config().dataDir());
      node.close();
    });
    others.clear();
    // only the data dirs TestGateway made for this class: a test's own stays where the test put it
    dataDirs.stream().filter(d -> d.getFileName().toString().startsWith(TestGateway.DATA_DIR_PREFIX))
        .forEach(KinlinkExtension::deleteTree);
    if (redis != null) {
      redis.close();
      redis = null;
    }
    if (vertx != null) {
      Gateway.await(vertx.close());
      vertx = null;
    }
    if (database != null) {
      database.close();
      database = null;
    }
    if (recordings != null) {
      deleteTree(recordings);
      recordings = null;
    }
  }

  /** The clock every node runs on. */
  public TestClock clock() {
    return started(clock);
  }

  /** A Vert.x instance for the test's own clients (not a node's). */
  public Vertx vertx() {
    return started(vertx);
  }

  /** URL of this class's Redis database (for a second connection, a CLI run, another node). */
  public String redisUrl() {
    return started(database).url();
  }

  /** A connection to this class's Redis database, opened on first use. */
  public synchronized Redis redis() {
    if (redis == null) {
      redis = Redis.connect(redisUrl(), Duration.ofSeconds(5));
    }
    return redis;
  }

  /** Node 0, started on first use. */
  public Gateway gateway() {
    return nodes(1).get(0);
  }

  /** The first {@code n} nodes, all on this class's Redis and clock, starting those not yet running. */
  public synchronized List<Gateway> nodes(int n) {
    started(database);
    while (nodes.size() < n) {
      nodes.add(Gateway.start(config(), clock));
    }
    return List.copyOf(nodes.subList(0, n));
  }

  /**
   * A node of the test's own config (its own or an embedded Redis, other limits), on the test clock;
   * closed after the test class if the test has not closed it itself.
   */
  public synchronized Gateway start(GatewayConfig config) {
    Gateway node = Gateway.start(config, clock());
    others.add(node);
    return node;
  }

  /** The config the next node starts with (own data dir, this class's Redis and recordings dir, the changes asked for). */
  public GatewayConfig config() {
    return configure.apply(TestGateway.config().withRedisUrl(Optional.of(redisUrl())).withRecordingsDir(Optional.of(recordingsDir())));
  }

  /** The recordings dir every node of this class shares (its chunk files). */
  public Path recordingsDir() {
    return started(recordings);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp dir left behind is no test failure
    }
  }

  /** A client of node 0, from a random 127.x.y.z source address of its own. */
  public WebClient client() {
    return client(gateway());
  }

  /** A client of {@code node}, from a random 127.x.y.z source address of its own. */
  public WebClient client(Gateway node) {
    return TestGateway.client(vertx(), node);
  }

  /** A fresh establishment on node 0, with helpers to make and sign in its people. */
  public AuthFixture establishment() {
    return new AuthFixture(gateway());
  }

  /** One-time codes for {@code base32Secret} on the test clock. */
  public TestTotp totp(String base32Secret) {
    return new TestTotp(base32Secret, clock());
  }

  private <T> T started(T part) {
    if (part == null) {
      throw new IllegalStateException("KinlinkExtension is not running: register it with @RegisterExtension "
          + "and use it from a test, @BeforeAll/@BeforeEach or later");
    }
    return part;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Vertx.class || type == TestClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Vertx.class ? vertx() : clock();
  }
}
