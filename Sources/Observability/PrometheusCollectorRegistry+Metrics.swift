public import CoreMetrics
public import Prometheus

extension PrometheusCollectorRegistry {
    /// A swift-metrics factory writing into this registry (so a ``MetricsServer`` serves what
    /// `Counter(label:)`, `Timer(label:)`, … record).
    public var metricsFactory: any MetricsFactory { PrometheusMetricsFactory(registry: self) }

    /// Makes this registry the process's swift-metrics backend (call once, at start, before any
    /// metric is created), for code that records through swift-metrics rather than the registry.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(metricsFactory)
    }
}
