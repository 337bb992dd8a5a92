import CallStreamTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Observability
import ServiceLifecycle
import SinkApp
import Testing

@Suite("callstream-sink metrics on the embedded broker")
struct SinkMetricsTests {
    /// The sink process's /metrics shows exactly the records it wrote; /healthz answers 200.
    @Test func metricsCountTheRecordsWrittenAndHealthIsOK() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sink-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = TestRecords.calls(9, prefix: "metrics")
        try await EmbeddedCallStream.run { stream in
            try await stream.publish(records)
            var configuration = SinkConfiguration(destination: "jsonl:\(directory.path)")
            configuration.runner = stream.runnerConfiguration(group: "metrics-sink")
            configuration.recordsTopic = stream.recordsTopic
            configuration.metricsServer = MetricsServerConfiguration(host: "127.0.0.1", port: 0)
            let port = AsyncStream.makeStream(of: Int.self)
            let program = try buildSink(configuration: configuration, logger: stream.logger, onMetricsServerRunning: { port.continuation.yield($0) })
            let group = ServiceGroup(services: program.services, gracefulShutdownSignals: [], logger: stream.logger)
            let running = Task { try await group.run() }
            var ports = port.stream.makeAsyncIterator()
            let base = "http://127.0.0.1:\(try #require(await ports.next()))"
            let deadline = ContinuousClock.now + .seconds(60)
            while program.runner.counters.written < records.count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let (metrics, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "/metrics")))
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(text.contains(#"callstream_sink_records_written_total{sink="jsonl"} 9"#), "\(text)")
            #expect(text.contains(#"callstream_sink_dead_letters_total{sink="jsonl"} 0"#))
            let (_, health) = try await URLSession.shared.data(from: try #require(URL(string: base + "/healthz")))
            #expect((health as? HTTPURLResponse)?.statusCode == 200)
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }
}
