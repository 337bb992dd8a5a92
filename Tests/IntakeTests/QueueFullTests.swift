import Hummingbird
import HummingbirdTesting
import Intake
import Kafka
import NIOCore
import ServiceLifecycle
import Testing

@Suite("Intake producer queue full, live HTTP on the embedded broker", .serialized)
struct QueueFullTests {
    @Test("A full producer queue answers 503 broker_unavailable with Retry-After at once; the queued webhook still gets its 200")
    func queueFullGives503() async throws {
        try await withEmbeddedCluster { cluster in
            var configuration = testConfiguration(cluster)
            configuration.producerQueueMessages = 1
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let app = try buildIntake(configuration: configuration, logger: testLogger("intake")) { portContinuation.yield($0) }
            let group = ServiceGroup(configuration: .init(services: [app], logger: testLogger("group")))
            let running = Task { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            @Sendable func body(_ id: String) -> ByteBuffer { ByteBuffer(string: #"{"event":"call_started","call":{"call_id":"\#(id)"}}"#) }

            let accepted: String? = try await TestClient.withClient(host: "127.0.0.1", port: port) { first in
                try await TestClient.withClient(host: "127.0.0.1", port: port) { second in
                    #expect(try await first.post(IntakeRoute.callEvents, headers: [:], body: body("warm-up")).status == .ok)
                    // The one queue slot stays taken for a second while the broker answers slowly, so
                    // of two webhooks at once, whichever reaches the producer first is queued and the
                    // other is refused at once (which one depends on scheduling).
                    try cluster.setRoundTripTime(.seconds(1), broker: 1)
                    async let one = first.post(IntakeRoute.callEvents, headers: [:], body: body("one"))
                    async let two = second.post(IntakeRoute.callEvents, headers: [:], body: body("two"))
                    let answers = [("one", try await one), ("two", try await two)]
                    let queued = answers.filter { $0.1.status == .ok }
                    let refused = answers.filter { $0.1.status == .serviceUnavailable }
                    #expect(queued.count == 1 && refused.count == 1, "\(answers.map { ($0.0, $0.1.status) })")
                    if let refused = refused.first?.1 {
                        #expect(refused.headers[.retryAfter] == "5")
                        #expect(String(buffer: refused.body ?? ByteBuffer()).contains(#""error":"broker_unavailable""#))
                    }
                    return queued.first?.0
                }
            }
            await group.triggerGracefulShutdown()
            try await running.value
            try cluster.setRoundTripTime(.zero, broker: 1)
            let messages = try await readTopic(cluster, topic: eventsTopic, partitions: 4, count: 2)
            #expect(Set(messages.compactMap(\.keyString)) == ["warm-up", try #require(accepted)], "exactly the acknowledged webhooks")
        }
    }
}
