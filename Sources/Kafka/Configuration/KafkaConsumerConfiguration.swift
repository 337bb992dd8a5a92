/// How a ``KafkaConsumer`` joins the cluster and what it reads.
public struct KafkaConsumerConfiguration: Sendable {
    /// What the consumer reads.
    public enum Subscription: Sendable, Hashable {
        /// Member of ``KafkaConsumerConfiguration/groupID`` subscribed to these topics; partitions
        /// are assigned by the group and resume from the group's committed offsets.
        case group(topics: [String])
        /// A fixed set of partitions, each from the given offset (``KafkaOffset`` constants allowed); no rebalances.
        case partitions([KafkaTopicPartitionOffset])
    }

    /// The eager assignment strategies. librdkafka 2.0.2's cooperative-sticky assignor can spin and
    /// lose assignments, so it is not offered.
    public enum Assignor: String, Sendable, Hashable {
        case range
        case roundRobin = "roundrobin"
    }

    /// Where to start when the group has no committed offset for a partition.
    public enum OffsetReset: String, Sendable, Hashable {
        case earliest
        case latest
    }

    /// Comma-separated `host:port` list of brokers to bootstrap from. Default: `127.0.0.1:9092`.
    public var bootstrapServers: String = "127.0.0.1:9092"
    /// The client id the brokers see. Default: `callstream`.
    public var clientID: String = "callstream"
    /// The consumer group; required for ``Subscription/group(topics:)`` and for commits. Default: `callstream-workers`.
    public var groupID: String? = "callstream-workers"
    /// What to read.
    public var subscription: Subscription
    /// Partition assignment strategy. Default: `range`.
    public var assignor: Assignor = .range
    /// Where to start without a committed offset. Default: `earliest` (nothing is skipped).
    public var offsetReset: OffsetReset = .earliest
    /// How long the group waits for a silent member before rebalancing its partitions away. Default: 10 s.
    public var sessionTimeout: Duration = .seconds(10)
    /// How often the member tells the coordinator it is alive. Default: 1 s.
    public var heartbeatInterval: Duration = .seconds(1)
    /// How often stored offsets are committed in the background; `nil` commits only on ``KafkaConsumer/commit()``. Default: 5 s.
    public var autoCommitInterval: Duration? = .seconds(5)
    /// How long a revocation waits for the caller to finish with the partitions (and commit) before it completes anyway. Default: 30 s.
    public var revocationTimeout: Duration = .seconds(30)
    /// How long the broker may hold a fetch that finds no new data (`fetch.wait.max.ms`). Real
    /// brokers answer as soon as data arrives; the embedded broker waits this long regardless, so it
    /// bounds latency there. Default: 50 ms.
    public var fetchMaxWait: Duration = .milliseconds(50)
    /// How many polled events may wait for the caller before polling pauses (back-pressure). Default: 10000.
    public var bufferCapacity: Int = 10_000
    /// The bound on closing the consumer on shutdown (librdkafka 2.0.2 can hang there). Default: 10 s.
    public var shutdownTimeout: Duration = .seconds(10)
    /// Any other librdkafka property, applied last so it can override the fields above. Default: none.
    public var properties: [String: String] = [:]
    /// Attached to every commit (Kafka's offset-commit metadata), e.g. who committed: `callstream
    /// status` shows it where the brokers cannot list a group's members. Default: none.
    public var commitMetadata: String? = nil
    /// Where a group member's newly assigned partitions start instead of their committed offsets
    /// (e.g. a replay's start): called on the polling thread with each assignment, before librdkafka
    /// takes it; partitions it leaves out start from their committed offset (or ``offsetReset``).
    /// Part of the assignment, so no message before the start is fetched (a seek right after an
    /// assignment can fail while the partition's fetcher has not started). Default: none.
    public var assignmentOffsets: (@Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64])? = nil
    /// Makes each message's ``KafkaMessage`` on the polling thread, in order, while its bytes are
    /// still librdkafka's: a decoder can decode the value in place, attach the result
    /// (``KafkaMessage/decoded``) and copy nothing else (``KafkaPolledMessage/position(decoded:)``).
    /// It must not block: it runs between two polls. Default: none (key, value and headers are
    /// copied, ``KafkaPolledMessage/message(decoded:)``).
    public var messageDecoder: (@Sendable (borrowing KafkaPolledMessage) -> KafkaMessage)? = nil

    public init(bootstrapServers: String = "127.0.0.1:9092", subscription: Subscription, groupID: String? = "callstream-workers") {
        self.bootstrapServers = bootstrapServers
        self.subscription = subscription
        self.groupID = groupID
    }

    /// The librdkafka properties this configuration stands for.
    public var rdKafkaProperties: [String: String] {
        var result: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "partition.assignment.strategy": assignor.rawValue,
            "auto.offset.reset": offsetReset.rawValue,
            "session.timeout.ms": String(sessionTimeout.milliseconds),
            "heartbeat.interval.ms": String(heartbeatInterval.milliseconds),
            "enable.auto.offset.store": "false",
            "enable.auto.commit": autoCommitInterval == nil ? "false" : "true",
            "enable.partition.eof": "false",
            "fetch.wait.max.ms": String(fetchMaxWait.milliseconds),
        ]
        if let groupID {
            result["group.id"] = groupID
            if let autoCommitInterval { result["auto.commit.interval.ms"] = String(autoCommitInterval.milliseconds) }
        } else {
            // librdkafka 2.0.2 refuses to assign partitions without a group; this one never joins or commits.
            result["group.id"] = "callstream-reader-\(UInt64.random(in: 0...UInt64.max))"
            result["enable.auto.commit"] = "false"
        }
        result.merge(properties) { _, override in override }
        return result
    }
}

/// Logical offsets understood wherever an offset is given.
public enum KafkaOffset {
    /// The first offset still in the partition.
    public static let beginning: Int64 = -2
    /// The offset after the last message: only new messages.
    public static let end: Int64 = -1
    /// The committed offset of the group (or ``KafkaConsumerConfiguration/offsetReset`` without one).
    public static let stored: Int64 = -1000
}
