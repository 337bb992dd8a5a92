/// Where a process serves `GET /metrics` and `GET /healthz`.
public struct MetricsServerConfiguration: Sendable, Hashable {
    /// The interface to listen on. Default: `0.0.0.0` (Prometheus scrapes from another host).
    public var host: String = "0.0.0.0"
    /// The port; `0` lets the system choose a free one (logged, and passed to `onRunning`).
    /// Default: 9400.
    public var port: Int = 9400

    public init(host: String = "0.0.0.0", port: Int = 9400) {
        self.host = host
        self.port = port
    }
}
