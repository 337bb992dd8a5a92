import Hummingbird
import HummingbirdTesting
import Intake
import Kafka
import NIOCore
import ServiceLifecycle
import Testing

@Suite("Intake graceful shutdown, live HTTP on the embedded broker", .serialized)
struct GracefulShutdownTests {
    @Test("Shutdown while a webhook waits for its acknowledgement: it still gets its 200, the event is on the topic, the intake stops")
    func inFlightRequestIsDrained() async throws {
        try await withEmbeddedCluster { cluster in
            let metrics = IntakeMetrics()
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            // Acknowledgements will take 3 s (below): room for them, and for the drain on shutdown.
            var configuration = testConfiguration(cluster)
            configuration.publishTimeout = .seconds(10)
            configuration.shutdownTimeout = .seconds(15)
            let app = try buildIntake(configuration: configuration, logger: testLogger("intake"), metrics: metrics) { port in
                portContinuation.yield(port)
            }
            let group = ServiceGroup(configuration: .init(services: [app], logger: testLogger("group")))
            let running = Task { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let body = #"{"event":"call_ended","call":{"call_id":"draining","end_timestamp":1776000000000}}"#

            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                let warmUp = try await client.post(IntakeRoute.callEvents, headers: [:], body: ByteBuffer(string: #"{"event":"call_started","call":{"call_id":"warm-up"}}"#))
                #expect(warmUp.status == .ok)
                // Acknowledgements now take 3 s, so the next request is in flight when shutdown begins.
                // (Long enough for this task to see it in flight even when blocking tests running
                // beside it hold the cooperative pool's threads: the intake itself answers from its
                // event loops, so with 1 s the answer could come before this task looked.)
                try cluster.setRoundTripTime(.seconds(3), broker: 1)
                let inFlight = Task { try await client.post(IntakeRoute.callEvents, headers: [:], body: ByteBuffer(string: body)) }
                try await eventually("the webhook is in flight") {
                    metrics.registry.emitToString().contains("callstream_intake_requests_in_flight 1")
                }
                await group.triggerGracefulShutdown()
                let response = try await inFlight.value
                #expect(response.status == .ok, "the in-flight webhook got its acknowledged answer")
            }
            try await running.value
            try cluster.setRoundTripTime(.zero, broker: 1)
            let messages = try await readTopic(cluster, topic: eventsTopic, partitions: 4, count: 2)
            #expect(Set(messages.compactMap(\.keyString)) == ["warm-up", "draining"])
        }
    }
}
