package dev.noriwal.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link KafkaRelay} needs: where to publish, as whom, and how much per transaction. Built
 * by {@link #builder(String, String)} or parsed from flat string settings by {@link #parse}, which
 * rejects unknown keys (a typo is an error, not a silently ignored setting).
 *
 * @param name the relay's name: the log's name, used in the MBean name and the default {@code
 *     transactional.id}
 * @param topic the Kafka topic records go to
 * @param transactionalId stable per relay; a second relay with the same id fences the first
 * @param maxRecordsPerTransaction a transaction is committed after this many records (or sooner,
 *     when the relay has caught up with the log)
 * @param maxBytesPerTransaction ... or after this many key and value bytes
 * @param initialBackoff first wait after a failure while the broker is unreachable
 * @param maxBackoff the wait doubles up to this
 * @param producerProperties Kafka producer properties, passed through (bootstrap.servers at least)
 */
public record RelaySettings(
    String name,
    String topic,
    String transactionalId,
    int maxRecordsPerTransaction,
    long maxBytesPerTransaction,
    Duration initialBackoff,
    Duration maxBackoff,
    Map<String, String> producerProperties) {

  /** Default per-transaction record cap; larger batches amortise the commit round trips. */
  public static final int DEFAULT_MAX_RECORDS_PER_TRANSACTION = 10_000;

  /** Default per-transaction byte cap (16 MiB). */
  public static final long DEFAULT_MAX_BYTES_PER_TRANSACTION = 16L << 20;

  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);

  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  /** Keys of {@link #parse} that are the relay's own; every other key is a producer property. */
  public static final Set<String> RELAY_KEYS =
      Set.of(
          "name",
          "topic",
          "bootstrap-servers",
          "max-records-per-transaction",
          "max-bytes-per-transaction",
          "initial-backoff-ms",
          "max-backoff-ms");

  // Producer settings the exactly-once argument depends on: the relay sets them itself.
  private static final Map<String, String> FIXED =
      Map.of(
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          "true",
          ProducerConfig.ACKS_CONFIG,
          "all",
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          "",
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          "");

  public RelaySettings {
    requireText("name", name);
    requireText("topic", topic);
    requireText("transactional.id", transactionalId);
    require(
        maxRecordsPerTransaction > 0,
        "max-records-per-transaction must be > 0: " + maxRecordsPerTransaction);
    require(
        maxBytesPerTransaction > 0,
        "max-bytes-per-transaction must be > 0: " + maxBytesPerTransaction);
    require(
        !initialBackoff.isNegative() && !initialBackoff.isZero(),
        "initial-backoff must be > 0: " + initialBackoff);
    require(
        maxBackoff.compareTo(initialBackoff) >= 0,
        "max-backoff (" + maxBackoff + ") must be >= initial-backoff (" + initialBackoff + ")");
    producerProperties = Map.copyOf(producerProperties);
    for (Map.Entry<String, String> e : producerProperties.entrySet()) {
      String key = e.getKey();
      require(
          ProducerConfig.configNames().contains(key),
          "unknown Kafka producer property '" + key + "'");
      String fixed = FIXED.get(key);
      require(
          fixed == null || (fixed.equals(e.getValue()) && !fixed.isEmpty()),
          "producer property '"
              + key
              + "' is set by the relay (exactly once needs "
              + (fixed == null || fixed.isEmpty() ? "its own serializers" : key + "=" + fixed)
              + "): "
              + e.getValue());
      require(
          !key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
              || e.getValue().equals(transactionalId),
          "transactional.id is given twice: " + e.getValue() + " and " + transactionalId);
    }
    require(
        producerProperties.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
        "bootstrap-servers (bootstrap.servers) is required");
  }

  public static Builder builder(String bootstrapServers, String topic) {
    return new Builder(bootstrapServers, topic);
  }

  /**
   * Parses flat settings, such as those under {@code nori.wal.<name>.kafka.} or the standalone
   * command line: the relay's own keys ({@link #RELAY_KEYS}; {@code bootstrap-servers} is {@code
   * bootstrap.servers}) and any Kafka producer property by its Kafka name. {@code where} names the
   * source in errors (e.g. {@code "nori.wal.orders.kafka."}).
   *
   * @throws IllegalArgumentException naming the key (with {@code where}) that is unknown or bad
   */
  public static RelaySettings parse(
      String defaultName, Map<String, String> settings, String where) {
    Map<String, String> producer = new TreeMap<>();
    String name = defaultName;
    Map<String, String> own = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
      String key = e.getKey();
      String value = Objects.requireNonNull(e.getValue(), key).trim();
      if (RELAY_KEYS.contains(key)) {
        own.put(key, value);
      } else if (ProducerConfig.configNames().contains(key)) {
        producer.put(key, value);
      } else {
        throw new IllegalArgumentException(
            "unknown setting "
                + where
                + key
                + ": neither a relay setting "
                + new java.util.TreeSet<>(RELAY_KEYS)
                + " nor a Kafka producer property");
      }
    }
    String bootstrap = own.remove("bootstrap-servers");
    if (bootstrap != null) {
      String other = producer.remove(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
      require(
          other == null || other.equals(bootstrap),
          "both " + where + "bootstrap-servers and " + where + "bootstrap.servers are set");
    } else {
      bootstrap = producer.remove(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    if (bootstrap == null || bootstrap.isEmpty()) {
      throw new IllegalArgumentException(where + "bootstrap-servers is required");
    }
    String topic = own.remove("topic");
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException(where + "topic is required");
    }
    Builder b = builder(bootstrap, topic);
    String n = own.remove("name");
    b.name(n != null ? n : name);
    String txId = producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    if (txId != null) {
      b.transactionalId(txId);
    }
    for (Map.Entry<String, String> e : own.entrySet()) {
      String key = where + e.getKey();
      switch (e.getKey()) {
        case "max-records-per-transaction" ->
            b.maxRecordsPerTransaction((int) number(key, e.getValue()));
        case "max-bytes-per-transaction" -> b.maxBytesPerTransaction(number(key, e.getValue()));
        case "initial-backoff-ms" -> b.initialBackoff(Duration.ofMillis(number(key, e.getValue())));
        case "max-backoff-ms" -> b.maxBackoff(Duration.ofMillis(number(key, e.getValue())));
        default -> throw new IllegalStateException("unhandled relay key " + key);
      }
    }
    producer.forEach(b::producerProperty);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** The producer configuration: the pass-through properties plus what exactly once requires. */
  Map<String, Object> producerConfig() {
    Map<String, Object> c = new TreeMap<>(producerProperties);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "nori-wal-relay-" + name);
    return c;
  }

  /**
   * The configuration of the consumer that reads the topic's tail back on start: the producer's
   * connection and security properties (those a consumer also knows), {@code read_committed}, no
   * group.
   */
  Map<String, Object> tailConsumerConfig() {
    Map<String, Object> c = new TreeMap<>();
    for (Map.Entry<String, String> e : producerProperties.entrySet()) {
      if (ConsumerConfig.configNames().contains(e.getKey())
          && !e.getKey().equals(ProducerConfig.CLIENT_ID_CONFIG)
          && !e.getKey().startsWith("metric")
          && !e.getKey().equals(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG)) {
        c.put(e.getKey(), e.getValue());
      }
    }
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "nori-wal-relay-" + name + "-tail");
    return c;
  }

  String bootstrapServers() {
    return Objects.requireNonNull(
        producerProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
        "bootstrap.servers (the builder always sets it)");
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value, e);
    }
  }

  private static void requireText(String what, String value) {
    require(value != null && !value.isBlank(), what + " must not be empty: " + value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Set-once builder; {@link #build()} validates. */
  public static final class Builder {
    private final Map<String, String> producer = new TreeMap<>();
    private final Set<String> set = new java.util.HashSet<>();
    private final String topic;
    private String name = "log";
    private @Nullable String transactionalId; // null: the default
    private int maxRecords = DEFAULT_MAX_RECORDS_PER_TRANSACTION;
    private long maxBytes = DEFAULT_MAX_BYTES_PER_TRANSACTION;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

    private Builder(String bootstrapServers, String topic) {
      requireText("bootstrap-servers", bootstrapServers);
      this.topic = topic;
      producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      set.add(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    private void once(String key) {
      require(set.add(key), key + " is set twice");
    }

    /** The relay's name (default {@code log}); also names the MBean. */
    public Builder name(String name) {
      once("name");
      this.name = name;
      return this;
    }

    /** Default {@code nori-wal-<name>-<topic>}. */
    public Builder transactionalId(String id) {
      once("transactional.id");
      this.transactionalId = id;
      return this;
    }

    public Builder maxRecordsPerTransaction(int n) {
      once("max-records-per-transaction");
      this.maxRecords = n;
      return this;
    }

    public Builder maxBytesPerTransaction(long n) {
      once("max-bytes-per-transaction");
      this.maxBytes = n;
      return this;
    }

    public Builder initialBackoff(Duration d) {
      once("initial-backoff");
      this.initialBackoff = Objects.requireNonNull(d, "initialBackoff");
      return this;
    }

    public Builder maxBackoff(Duration d) {
      once("max-backoff");
      this.maxBackoff = Objects.requireNonNull(d, "maxBackoff");
      return this;
    }

    /** Any Kafka producer property, by its Kafka name. */
    public Builder producerProperty(String key, String value) {
      once(key);
      producer.put(key, Objects.requireNonNull(value, key));
      return this;
    }

    public RelaySettings build() {
      String id = transactionalId != null ? transactionalId : "nori-wal-" + name + "-" + topic;
      return new RelaySettings(
          name, topic, id, maxRecords, maxBytes, initialBackoff, maxBackoff, producer);
    }
  }
}
