import Foundation
import Hummingbird
import Intake
import Kafka
import Logging
import Synchronization

/// The intake under wrk, on one embedded broker: call-events req/s next to the same server's
/// hello-world route (`GET /healthz`), and the inbound webhook's latency.
struct IntakeBench {
    let cluster: EmbeddedKafkaCluster
    let logger: Logger
    let duration: Int
    /// Enough that call-events, which waits for the broker's ack, is not bound by round trips.
    let connections = 256

    func run() async throws -> [BenchResult] {
        try await withIntake { base in try await measure(base: base) }
    }

    /// Runs `body` with the intake serving on this bench's broker; `body` gets its base URL.
    func withIntake<T>(_ body: (String) async throws -> T) async throws -> T {
        try cluster.createTopic("callstream.events", partitions: 12)
        try cluster.createTopic("callstream.directory", partitions: 3)
        let directoryFile = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-bench-directory-\(UUID().uuidString).csv")
        try "number,customer_name,tier\n+821012345678,김민준,gold\n".write(to: directoryFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: directoryFile) }
        // The directory file is read at start; the server then answers from memory.

        var configuration = IntakeConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.bootstrapServers = cluster.bootstrapServers
        configuration.inbound.directoryFile = directoryFile.path
        configuration.inbound.defaults = ["customer_name": "고객"]
        let port = PortBox()
        var quiet = logger
        quiet.logLevel = .critical  // the server is cancelled at the end, which it reports as errors
        let app = try buildIntake(configuration: configuration, logger: quiet) { bound in port.set(bound) }
        let server = Task { try await app.runService() }
        do {
            let result = try await body("http://127.0.0.1:\(try await port.bound())")
            server.cancel()
            _ = try? await server.value
            return result
        } catch {
            server.cancel()
            _ = try? await server.value
            throw error
        }
    }

    /// The hello-world route (`GET /healthz`) with this bench's connections, at `base`.
    func hello(base: String) -> Wrk.Target {
        Wrk.Target(url: base + "/healthz", script: nil, connections: connections)
    }

    /// The call-events route with this bench's script and connections, at `base`.
    func callEvents(base: String, script: URL) -> Wrk.Target {
        Wrk.Target(url: base + "/webhooks/vox/call-events", script: script, connections: connections)
    }

    /// wrk against call-events (or the hello-world route) only, for a profiler; prints the rate.
    func profile(hello: Bool) async throws {
        try await withIntake { base in
            try await Wrk.withScripts([Self.callEventsLua]) { scripts in
                let target = hello ? self.hello(base: base) : callEvents(base: base, script: scripts[0])
                try Wrk.warm(target)
                let wrk = try Wrk.run(url: target.url, script: target.script, connections: target.connections, seconds: duration)
                print("\(target.url): \(Int(wrk.requestsPerSecond)) req/s, p99 \(wrk.p99Milliseconds) ms")
            }
        }
    }

    private func measure(base: String) async throws -> [BenchResult] {
        try await Wrk.withScripts([Self.callEventsLua, Self.inboundLua]) { scripts in
            let callEvents = self.callEvents(base: base, script: scripts[0])
            try Wrk.warm(callEvents)
            // Inbound latency at the most the server does (4 connections), and at about half that
            // (one connection: each request waits for the previous answer), where the target applies.
            let figures = try Wrk.medians(of: [
                hello(base: base),
                callEvents,
                Wrk.Target(url: base + "/webhooks/vox/inbound", script: scripts[1], connections: 4),
                Wrk.Target(url: base + "/webhooks/vox/inbound", script: scripts[1], connections: 1),
            ], seconds: duration)
            return results(hello: figures[0], callEvents: figures[1], inboundMax: figures[2], inbound: figures[3])
        }
    }

    private func results(hello: Wrk, callEvents: Wrk, inboundMax: Wrk, inbound: Wrk) -> [BenchResult] {
        let share = Int((inbound.requestsPerSecond / inboundMax.requestsPerSecond * 100).rounded())
        return [
            BenchResult(name: "intake hello world `GET /healthz`, \(connections) connections (median of 3)", value: hello.requestsPerSecond, unit: "req/s"),
            BenchResult(name: "intake `POST call-events` (acknowledged by the broker), \(connections) connections (median of 3)", value: callEvents.requestsPerSecond,
                        unit: "req/s", reference: hello.requestsPerSecond, referenceName: "hello world",
                        target: "≥ 0.5× hello world", met: callEvents.requestsPerSecond >= 0.5 * hello.requestsPerSecond),
            BenchResult(name: "intake `POST call-events` p50 / p99 latency, \(connections) connections", value: callEvents.p99Milliseconds, unit: "ms p99 (p50 \(BenchResult.format(callEvents.p50Milliseconds)) ms)"),
            BenchResult(name: "intake `POST inbound` p99 latency at max, 4 connections (\(BenchResult.format(inboundMax.requestsPerSecond)) req/s)",
                        value: inboundMax.p99Milliseconds, unit: "ms (p50 \(BenchResult.format(inboundMax.p50Milliseconds)) ms)"),
            BenchResult(name: "intake `POST inbound` p99 latency, 1 connection (\(BenchResult.format(inbound.requestsPerSecond)) req/s, \(share)% of max)",
                        value: inbound.p99Milliseconds, unit: "ms (p50 \(BenchResult.format(inbound.p50Milliseconds)) ms)",
                        target: "≤ 2 ms", met: inbound.p99Milliseconds <= 2),
        ]
    }

    /// Distinct call ids, so the events spread over the partitions as real traffic does.
    /// 10,000 distinct requests (call ids) built once, sent in turn: building each request in Lua
    /// costs wrk, which shares the two cores with the server, more than the server's work.
    static let callEventsLua = #"""
    local body = '{"event":"mid_call","mid_call":{"agent_id":"a1f4c8d2","call_id":"bench-%d","timestamp":1775980203000,"event_type":"call_message","event_data":{"role":"user","content":"주문 상태를 확인하고 싶습니다. Where is my order?"}}}'
    local requests = {}
    for i = 1, 10000 do
      requests[i] = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, string.format(body, i))
    end
    local counter = 0
    request = function()
      counter = counter % 10000 + 1
      return requests[counter]
    end
    """#

    static let inboundLua = #"""
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = '{"event":"call_inbound","call_inbound":{"from_number":"+821012345678","to_number":"+827012345678"}}'
    """#
}

/// The port a server bound, handed over from its start callback.
final class PortBox: Sendable {
    private let port = Mutex<Int?>(nil)
    func set(_ value: Int) { port.withLock { $0 = value } }

    /// The bound port, waiting up to 5 s for the intake to start.
    func bound() async throws -> Int {
        for _ in 0..<200 {
            if let value = port.withLock({ $0 }) { return value }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw BenchFailure(message: "the intake did not start")
    }
}
