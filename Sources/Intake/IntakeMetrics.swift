public import Prometheus
import Synchronization

/// The intake's Prometheus metrics, in a registry of its own (so several intakes in one process,
/// as in tests, do not share counters).
public final class IntakeMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// Time from handing an event to the producer to its acknowledgement (or failure).
    let publishLatency: DurationHistogram
    /// Publishes that ended without an acknowledgement.
    let publishFailures: Counter
    /// Background audit publishes of inbound requests that failed.
    let auditFailures: Counter
    /// Requests being handled now.
    let inFlight: Gauge
    /// Numbers in the in-memory directory.
    let directorySize: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        publishLatency = registry.makeDurationHistogram(
            descriptor: Self.descriptor("publish_duration", unit: "seconds", help: "Time from handing a webhook to the producer to the broker's acknowledgement or failure"),
            buckets: [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            ]
        )
        publishFailures = registry.makeCounter(descriptor: Self.descriptor("publish_failures", unit: "total", help: "Webhooks answered 503 because the broker did not acknowledge"))
        auditFailures = registry.makeCounter(descriptor: Self.descriptor("audit_failures", unit: "total", help: "Inbound requests whose background audit publish failed"))
        inFlight = registry.makeGauge(descriptor: Self.descriptor("requests_in_flight", unit: "", help: "Requests being handled"))
        directorySize = registry.makeGauge(descriptor: Self.descriptor("directory_numbers", unit: "", help: "Numbers in the in-memory inbound directory"))
    }

    /// The request counters made so far, by route and status (the registry's lookup by name and
    /// labels costs more than the rest of a hello-world request).
    private let requestCounters = Mutex<[RequestCounterKey: Counter]>([:])

    /// Counts one answered request.
    func recordRequest(route: String, status: Int) {
        let key = RequestCounterKey(route: route, status: status)
        if let counter = requestCounters.withLock({ $0[key] }) {
            counter.increment()
            return
        }
        let counter = registry.makeCounter(
            descriptor: Self.descriptor("requests", unit: "total", help: "HTTP requests by route and status"),
            labels: [("route", route), ("status", String(status))]
        )
        requestCounters.withLock { $0[key] = counter }
        counter.increment()
    }

    private static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "callstream", subsystem: "intake", metricName: name, unitName: unit, helpText: help)
    }
}
