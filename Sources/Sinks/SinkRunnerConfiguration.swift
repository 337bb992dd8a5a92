/// Everything a ``SinkRunner`` needs; every default is also in `config/callstream.yaml` (`sink.*`).
public struct SinkRunnerConfiguration: Sendable {
    /// Brokers to bootstrap from (`host:port,…`). Default: `127.0.0.1:9092`.
    public var bootstrapServers: String = "127.0.0.1:9092"
    /// The topic the group reads: the records topic for a ``RecordSink``, the raw events topic for a
    /// ``LiveEventSink``. Default: `callstream.records`.
    public var topic: String = "callstream.records"
    /// The sink's own consumer group: each sink keeps its own offsets. Default: `callstream-sink`.
    public var groupID: String = "callstream-sink"
    /// The client id the brokers see. Default: `callstream-sink`.
    public var clientID: String = "callstream-sink"
    /// Where records that still fail after the retries go, with `dlq-reason`, `dlq-message` and
    /// `source-*` headers; `nil` never gives up (retries forever). Default: `callstream.sink-dlq`.
    public var deadLetterTopic: String? = "callstream.sink-dlq"
    /// The most records (or events) in one ``RecordSink/write(_:)``. Default: 100.
    public var batchSize: Int = 100
    /// How long a batch that is not full waits for more before it is written. Default: 50 ms.
    public var batchWait: Duration = .milliseconds(50)
    /// How the runner retries a failed write.
    public var retry: RetryPolicy = RetryPolicy()
    /// Messages read but not yet written beyond which reading pauses. Default: 10000.
    public var maximumPending: Int = 10_000
    /// Consumer-group session timeout. Default: 10 s.
    public var sessionTimeout: Duration = .seconds(10)
    /// Consumer-group heartbeat interval. Default: 1 s.
    public var heartbeatInterval: Duration = .seconds(1)
    /// How long a revocation (or graceful shutdown) waits for records read to be written and
    /// committed; what is left is read again by the next owner. Default: 5 s.
    public var drainTimeout: Duration = .seconds(5)
    /// Bound on closing each Kafka client at shutdown. Default: 3 s.
    public var clientShutdownTimeout: Duration = .seconds(3)
    /// Extra librdkafka properties for the runner's clients. Default: none.
    public var kafkaProperties: [String: String] = [:]

    public init(bootstrapServers: String = "127.0.0.1:9092", topic: String = "callstream.records", groupID: String = "callstream-sink") {
        self.bootstrapServers = bootstrapServers
        self.topic = topic
        self.groupID = groupID
    }
}
