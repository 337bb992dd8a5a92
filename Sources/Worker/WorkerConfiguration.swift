public import CallAssembly
public import Observability

/// Everything a ``Worker`` needs; every default is also in `config/callstream.yaml`.
public struct WorkerConfiguration: Sendable {
    /// Brokers to bootstrap from (`host:port,…`). Default: `127.0.0.1:9092`.
    public var bootstrapServers: String = "127.0.0.1:9092"
    /// The raw webhook events topic the group reads. Default: `callstream.events`.
    public var eventsTopic: String = "callstream.events"
    /// Where completed records go (key = call_id). Default: `callstream.records`.
    public var recordsTopic: String = "callstream.records"
    /// Where undecodable events go, with their reason and source offset. Default: `callstream.dlq`.
    public var deadLetterTopic: String = "callstream.dlq"
    /// The consumer group shared by all workers. Default: `callstream-workers`.
    public var groupID: String = "callstream-workers"
    /// The client id the brokers see. Default: `callstream-worker`.
    public var clientID: String = "callstream-worker"
    /// Emission timing and memory limits of each partition's assembler (stream time). Default: the
    /// assembler's defaults (grace 5 s, analysis wait 120 s, open-call limit 4 h).
    public var assembler: AssemblerConfiguration = AssemblerConfiguration()
    /// How often a moved low watermark is committed. Steady-state commits matter: a group that
    /// rebalances refuses commits, so the one at revocation may fail. Default: 250 ms.
    public var commitInterval: Duration = .milliseconds(250)
    /// After how much wall time without stream-time progress a partition with open calls gets a
    /// tick; `nil` never writes ticks. A partition also gets one as soon as its next deadline has
    /// just passed in wall time (so a record leaves about its grace period after the call's end).
    /// Default: 5 s (the default grace period).
    public var tickAfter: Duration? = .seconds(5)
    /// How often partitions are checked for ticks: the most a record waits past its deadline for
    /// one. Default: 10 ms.
    public var tickCheckInterval: Duration = .milliseconds(10)
    /// How often the allocator's free memory is handed back to the system (``HeapTrimmer``), so
    /// that resident memory follows the live heap; `nil` never. Default: 30 s.
    public var heapTrimInterval: Duration? = .seconds(30)
    /// Outputs produced but not yet acknowledged beyond which reading pauses. Default: 20000.
    public var maximumOutstanding: Int = 20_000
    /// Consumer-group session timeout. Default: 10 s.
    public var sessionTimeout: Duration = .seconds(10)
    /// Consumer-group heartbeat interval. Default: 1 s.
    public var heartbeatInterval: Duration = .seconds(1)
    /// How long a revocation (or shutdown) waits for outputs in flight. Default: 5 s.
    public var drainTimeout: Duration = .seconds(5)
    /// Bound on closing each Kafka client at shutdown. Default: 3 s (SIGTERM must end within 10 s).
    public var clientShutdownTimeout: Duration = .seconds(3)
    /// The producer's `message.timeout.ms`; a failed output is retried. Default: 30 s.
    public var messageTimeout: Duration = .seconds(30)
    /// Extra librdkafka properties for both clients (e.g. `security.protocol`). Default: none.
    public var kafkaProperties: [String: String] = [:]

    /// Where `GET /metrics` and `GET /healthz` are served (keys `worker.metricsHost`,
    /// `worker.metricsPort`; port 0 picks a free port, logged at start); `nil` serves nothing.
    /// Default: `0.0.0.0:9400`.
    public var metricsServer: MetricsServerConfiguration? = MetricsServerConfiguration()

    /// Set for a replay (`callstream replay`): no ticks, a private start, a stop at the end
    /// offsets. Default: `nil` (a live worker).
    public var replay: ReplayPlan? = nil

    public init(bootstrapServers: String = "127.0.0.1:9092") {
        self.bootstrapServers = bootstrapServers
    }
}
