import CoreMetrics
import Foundation
import Logging
import Observability
import Prometheus
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Metrics server over HTTP")
struct MetricsServerTests {
    private static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func servesTheRegistryAfterOnScrapeAndTheHealthReport() async throws {
        let registry = PrometheusCollectorRegistry()
        let scrapes = Atomic<Int>(0)
        let healthy = Atomic<Bool>(true)
        let port = Mutex<Int?>(nil)
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // cancelling the server at the end logs an error
        // swift-metrics API, through the registry's factory (no global bootstrap in tests).
        Counter(label: "sink_written_total", dimensions: [("sink", "jsonl")], factory: registry.metricsFactory).increment(by: 3)
        let server = MetricsServer(
            configuration: MetricsServerConfiguration(host: "127.0.0.1", port: 0), registry: registry, logger: logger,
            onScrape: { scrapes.add(1, ordering: .relaxed) },
            health: { healthy.load(ordering: .relaxed) ? .healthy : HealthReport(problems: ["the \"consumer\" stopped"]) },
            onRunning: { bound in port.withLock { $0 = bound } }
        )
        let running = Task { try await server.run() }
        defer { running.cancel() }
        for _ in 0..<200 where port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let bound = try #require(port.withLock { $0 })

        let metrics = try await Self.get(bound, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"sink_written_total{sink="jsonl"} 3"#))
        #expect(scrapes.load(ordering: .relaxed) == 1)
        #expect(try await Self.get(bound, "/healthz") == (200, #"{"status":"ok"}"#))
        healthy.store(false, ordering: .relaxed)
        #expect(try await Self.get(bound, "/healthz") == (503, #"{"error":"unhealthy","message":"the \"consumer\" stopped"}"#))
    }
}
