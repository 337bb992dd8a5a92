public import Prometheus
public import Sinks
import Synchronization

/// `callstream-sink`'s Prometheus metrics, labelled with the sink's kind: the runner's counts,
/// copied in when `/metrics` is scraped (the runner itself only increments plain integers).
public final class SinkMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let written: Counter
    private let failedWrites: Counter
    private let deadLettered: Counter
    private let published = Mutex(SinkRunnerCounters())

    public init(kind: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let labels = [("sink", kind)]
        written = registry.makeCounter(descriptor: Self.descriptor("records_written", help: "Records (events for the monitor) the sink accepted, repeats included"), labels: labels)
        failedWrites = registry.makeCounter(descriptor: Self.descriptor("write_failures", help: "Writes that threw (each attempt counts)"), labels: labels)
        deadLettered = registry.makeCounter(descriptor: Self.descriptor("dead_letters", help: "Records sent to the sink's dead-letter topic"), labels: labels)
    }

    /// Adds what the runner counted since the last call.
    public func publish(_ counters: SinkRunnerCounters) {
        published.withLock { last in
            written.increment(by: Int64(max(0, counters.written - last.written)))
            failedWrites.increment(by: Int64(max(0, counters.failedWrites - last.failedWrites)))
            deadLettered.increment(by: Int64(max(0, counters.deadLettered - last.deadLettered)))
            last = counters
        }
    }

    private static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "callstream", subsystem: "sink", metricName: name, unitName: "total", helpText: help)
    }
}
