/// How a ``KafkaProducer`` talks to the cluster.
///
/// The producer is always idempotent with `acks=all`: a message that is acknowledged is on every
/// in-sync replica, and retries never duplicate or reorder messages within a partition.
public struct KafkaProducerConfiguration: Sendable {
    /// Comma-separated `host:port` list of brokers to bootstrap from. Default: `127.0.0.1:9092`.
    public var bootstrapServers: String = "127.0.0.1:9092"
    /// The client id the brokers see in their logs and quotas. Default: `callstream`.
    public var clientID: String = "callstream"
    /// How long librdkafka keeps retrying a message before failing it (`message.timeout.ms`). Default: 30 s.
    public var messageTimeout: Duration = .seconds(30)
    /// How long librdkafka waits to fill a batch (`linger.ms`). Default: 5 ms.
    public var linger: Duration = .milliseconds(5)
    /// The most messages waiting in the local queue; more fail with `.queueFull` (`queue.buffering.max.messages`). Default: 100000.
    public var maximumQueuedMessages: Int = 100_000
    /// The most bytes waiting in the local queue, in KiB (`queue.buffering.max.kbytes`). Default: 1048576 (1 GiB).
    public var maximumQueuedKilobytes: Int = 1_048_576
    /// The partitioner for keyed messages: `murmur2_random` places keys as the Java client does. Default: `murmur2_random`.
    public var partitioner: String = "murmur2_random"
    /// How long a graceful shutdown waits for outstanding messages before giving up. Default: 10 s.
    public var shutdownTimeout: Duration = .seconds(10)
    /// Any other librdkafka property, applied last so it can override the fields above. Default: none.
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String = "127.0.0.1:9092") {
        self.bootstrapServers = bootstrapServers
    }

    /// The librdkafka properties this configuration stands for.
    public var rdKafkaProperties: [String: String] {
        var result: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "enable.idempotence": "true",
            "acks": "all",
            "message.timeout.ms": String(messageTimeout.milliseconds),
            "linger.ms": String(linger.milliseconds),
            "queue.buffering.max.messages": String(maximumQueuedMessages),
            "queue.buffering.max.kbytes": String(maximumQueuedKilobytes),
            "partitioner": partitioner,
        ]
        result.merge(properties) { _, override in override }
        return result
    }
}
