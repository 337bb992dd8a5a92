import HTTPSink
import Observability
import ServiceLifecycle
public import Logging
import MonitorSink
import PostgresSink
public import Sinks

/// Builds `callstream-sink` from its configuration: the chosen sink, its runner on the records
/// topic (the raw events topic for `monitor:PORT`) and, for the monitor, its HTTP server.
/// `onMonitorRunning` gets the monitor's bound port (useful with `monitor:0`).
public func buildSink(
    configuration: SinkConfiguration, logger: Logger, onMonitorRunning: @escaping @Sendable (Int) async -> Void = { _ in },
    onMetricsServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws(SinkError) -> SinkProgram {
    var runner = configuration.runner
    runner.topic = configuration.recordsTopic
    let destination = configuration.destination
    let kind: String
    let sink: any RecordSink
    if destination.hasPrefix("monitor:") {
        guard let port = Int(destination.dropFirst("monitor:".count)), (0...65535).contains(port) else {
            throw SinkError(.invalidConfiguration, "monitor:PORT needs a port number, got \(destination)")
        }
        runner.topic = configuration.eventsTopic
        // Live events are shown, never retried into a dead-letter topic.
        runner.deadLetterTopic = nil
        if runner.groupID == SinkRunnerConfiguration().groupID { runner.groupID = "callstream-sink-monitor" }
        let monitor = MonitorSink(endedLimit: configuration.monitorEndedCalls)
        let sinkRunner = SinkRunner(configuration: runner, liveSink: monitor, logger: logger)
        let application = buildMonitor(sink: monitor, host: configuration.monitorHost, port: port, logger: logger, onServerRunning: onMonitorRunning)
        // Reverse order on shutdown: the streams end, then the server, then the runner (then the metrics server).
        let services: [any Service] = [sinkRunner, application, MonitorStreamCloser(sink: monitor)]
        return SinkProgram(
            services: metricsServices(configuration, kind: "monitor", runner: sinkRunner, logger: logger, onRunning: onMetricsServerRunning) + services,
            runner: sinkRunner, monitor: monitor
        )
    } else if destination.hasPrefix("jsonl:") {
        let directory = String(destination.dropFirst("jsonl:".count))
        guard !directory.isEmpty else { throw SinkError(.invalidConfiguration, "jsonl:DIR needs a folder") }
        kind = "jsonl"
        sink = JSONLinesSink(configuration: JSONLinesSinkConfiguration(directory: directory, fsync: configuration.jsonlFsync))
    } else if destination.hasPrefix("postgres://") || destination.hasPrefix("postgresql://") {
        var postgres = try PostgresSinkConfiguration(url: destination)
        postgres.table = configuration.postgresTable
        postgres.maximumConnections = configuration.postgresMaximumConnections
        kind = "postgres"
        sink = PostgresSink(configuration: postgres, logger: logger)
    } else if destination.hasPrefix("http://") || destination.hasPrefix("https://") {
        var http = HTTPSinkConfiguration(url: destination, secret: configuration.httpSecret)
        http.signatureHeader = configuration.httpSignatureHeader
        http.maximumRequestsPerSecond = configuration.httpMaximumRequestsPerSecond
        http.maximumAttempts = configuration.httpMaximumAttempts
        http.requestTimeout = configuration.httpTimeout
        kind = "http"
        sink = HTTPSink(configuration: http, logger: logger)
    } else {
        throw SinkError(.invalidConfiguration, "--sink must be jsonl:DIR, postgres://…, http(s)://… or monitor:PORT")
    }
    if runner.groupID == SinkRunnerConfiguration().groupID { runner.groupID = "callstream-sink-\(kind)" }
    let sinkRunner = SinkRunner(configuration: runner, sink: sink, logger: logger)
    return SinkProgram(
        services: metricsServices(configuration, kind: kind, runner: sinkRunner, logger: logger, onRunning: onMetricsServerRunning) + [sinkRunner],
        runner: sinkRunner, monitor: nil
    )
}

/// The metrics server, first in the group so that it stops last (it answers while the runner drains).
private func metricsServices(
    _ configuration: SinkConfiguration, kind: String, runner: SinkRunner, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void
) -> [any Service] {
    guard let serverConfiguration = configuration.metricsServer else { return [] }
    let metrics = SinkMetrics(kind: kind)
    return [MetricsServer(
        configuration: serverConfiguration, registry: metrics.registry, logger: logger,
        onScrape: { metrics.publish(runner.counters) }, onRunning: onRunning
    )]
}
