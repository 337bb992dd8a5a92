public import Observability
public import Sinks

/// Everything `callstream-sink` needs; every default is also in `config/callstream.yaml` (`sink.*`).
public struct SinkConfiguration: Sendable {
    /// Which sink: `jsonl:DIR`, `postgres://user:password@host:port/database`, `http(s)://…` or
    /// `monitor:PORT`. Default: none (required).
    public var destination: String = ""
    /// The runner: topic, group, batching, retries, dead letters. Its topic and group are set from
    /// ``recordsTopic``, ``eventsTopic`` and the destination unless `sink.groupId` is given.
    public var runner = SinkRunnerConfiguration()
    /// The records topic (record sinks read it). Default: `callstream.records`.
    public var recordsTopic: String = "callstream.records"
    /// The raw events topic (the monitor reads it). Default: `callstream.events`.
    public var eventsTopic: String = "callstream.events"
    /// `jsonl:`: fsync each file after every batch. Default: `true`.
    public var jsonlFsync: Bool = true
    /// `http(s)://`: HMAC-SHA256 key (empty: unsigned). Default: empty.
    public var httpSecret: String = ""
    /// `http(s)://`: the signature header. Default: `x-callstream-signature`.
    public var httpSignatureHeader: String = "x-callstream-signature"
    /// `http(s)://`: requests per second at most (0: no limit). Default: 20.
    public var httpMaximumRequestsPerSecond: Double = 20
    /// `http(s)://`: attempts per record before the runner's retries take over. Default: 5.
    public var httpMaximumAttempts: Int = 5
    /// `http(s)://`: per request. Default: 10 s.
    public var httpTimeout: Duration = .seconds(10)
    /// `postgres://`: the table of calls. Default: `calls`.
    public var postgresTable: String = "calls"
    /// `postgres://`: connections at most. Default: 4.
    public var postgresMaximumConnections: Int = 4
    /// `monitor:`: the address the page listens on. Default: `127.0.0.1`.
    public var monitorHost: String = "127.0.0.1"
    /// `monitor:`: ended calls kept on the page. Default: 50.
    public var monitorEndedCalls: Int = 50
    /// `GET /metrics` and `GET /healthz` of the sink process; `nil` serves none. Default: port 9401
    /// on 0.0.0.0 (a worker on the same host has 9400).
    public var metricsServer: MetricsServerConfiguration? = MetricsServerConfiguration(port: 9401)

    public init(destination: String = "") {
        self.destination = destination
    }
}
