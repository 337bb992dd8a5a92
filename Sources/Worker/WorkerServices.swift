public import Logging
import Observability
public import ServiceLifecycle

/// What `callstream-worker` runs: the heap trimmer and the metrics server (when configured) and the
/// worker, in the order a `ServiceGroup` should hold them (the server stops after the worker, so it
/// answers while the worker drains).
public struct WorkerServices: Sendable {
    public let worker: Worker
    public let services: [any Service]

    /// - Parameter onMetricsServerRunning: gets the metrics server's bound port.
    public init(configuration: WorkerConfiguration, logger: Logger, onMetricsServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        let worker = Worker(configuration: configuration, logger: logger)
        self.worker = worker
        let trimmer: [any Service] = configuration.heapTrimInterval.map { [HeapTrimmer(interval: $0)] } ?? []
        guard let serverConfiguration = configuration.metricsServer else {
            self.services = trimmer + [worker]
            return
        }
        let server = MetricsServer(
            configuration: serverConfiguration, registry: worker.metrics.registry, logger: logger,
            onScrape: { worker.publishMetrics() }, health: { worker.health }, onRunning: onMetricsServerRunning
        )
        self.services = trimmer + [server, worker]
    }
}
