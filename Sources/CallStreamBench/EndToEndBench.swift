import CallAssembly
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Intake
import Kafka
import Logging
import Synchronization
import Worker

/// End to end on one embedded broker: an intake and a worker in this process, v1 calls posted
/// over HTTP at a steady rate with event times from the wall clock; for each call, the time from
/// posting its `call_ended` to its record acknowledged on the records topic. A record is due a
/// grace period after the end (stream time), so the figure to compare is grace + 50 ms.
struct EndToEndBench {
    let cluster: EmbeddedKafkaCluster
    let logger: Logger
    /// Calls started per second, and for how long.
    let callsPerSecond = 100
    let seconds: Int

    func run() async throws -> [BenchResult] {
        for (topic, partitions) in [("callstream.events", 12), ("callstream.records", 12), ("callstream.dlq", 3), ("callstream.directory", 3)] {
            try cluster.createTopic(topic, partitions: Int32(partitions))
        }
        var intakeConfiguration = IntakeConfiguration()
        intakeConfiguration.host = "127.0.0.1"
        intakeConfiguration.port = 0
        intakeConfiguration.bootstrapServers = cluster.bootstrapServers
        var workerConfiguration = WorkerConfiguration(bootstrapServers: cluster.bootstrapServers)
        workerConfiguration.groupID = "bench-end-to-end"
        let grace = workerConfiguration.assembler.gracePeriod

        let times = Times()
        let worker = Worker(configuration: workerConfiguration, logger: logger) { record in times.recorded(record.callID) }
        let port = PortBox()
        var quiet = logger
        quiet.logLevel = .critical
        let app = try buildIntake(configuration: intakeConfiguration, logger: quiet) { bound in port.set(bound) }
        let server = Task { try await app.runService() }
        let workerTask = Task { try await worker.run() }
        defer {
            server.cancel()
            worker.triggerGracefulShutdown()
        }
        guard let url = URL(string: "http://127.0.0.1:\(try await port.bound())/webhooks/vox/call-events") else {
            throw BenchFailure(message: "no URL for the intake")
        }
        // The worker joins its group before the first call.
        for _ in 0..<200 where worker.assignedPartitions.isEmpty { try await Task.sleep(for: .milliseconds(25)) }

        // Calls are measured while traffic goes on for at least the grace period after their end
        // (stream time moves with later events); the last ones would wait for a tick instead.
        let measuredUntil = ContinuousClock.now + .seconds(seconds)
        let trafficUntil = measuredUntil + grace + .seconds(1)
        var measured: [String] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            var index = 0
            var next = ContinuousClock.now
            while ContinuousClock.now < trafficUntil {
                let callID = "e2e-\(index)-\(UUID().uuidString.prefix(8))"
                if ContinuousClock.now < measuredUntil { measured.append(callID) }
                group.addTask { try await Self.post(call: callID, to: url, times: times) }
                index += 1
                next = next + .milliseconds(1000 / callsPerSecond)
                try await Task.sleep(until: next)
            }
            try await group.waitForAll()
        }
        let deadline = ContinuousClock.now + grace + .seconds(10)
        while ContinuousClock.now < deadline, times.latencies(of: measured).count < measured.count {
            try await Task.sleep(for: .milliseconds(100))
        }
        worker.triggerGracefulShutdown()
        _ = try? await workerTask.value
        server.cancel()
        _ = try? await server.value

        let values = times.latencies(of: measured).map(\.seconds).sorted()
        guard values.count == measured.count, !values.isEmpty else {
            throw BenchFailure(message: "\(measured.count - values.count) of \(measured.count) calls had no record")
        }
        let p50 = values[values.count / 2] * 1000
        let p99 = values[min(values.count - 1, values.count * 99 / 100)] * 1000
        let targetMs = grace.seconds * 1000 + 50
        return [
            BenchResult(name: "end to end: `call_ended` posted → record on the records topic, p99 (\(values.count) calls, \(callsPerSecond) calls/s, grace \(Int(grace.seconds)) s; p50 \(BenchResult.format(p50)) ms)",
                        value: p99, unit: "ms", target: "≤ grace + 50 ms (\(Int(targetMs)) ms)", met: p99 <= targetMs),
        ]
    }

    /// Posts one v1 call (started, three messages, ended) with event times from the wall clock;
    /// notes when its `call_ended` was posted.
    private static func post(call callID: String, to url: URL, times: Times) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let agent = #""agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"\#(callID)""#
        var bodies = [#"{"event":"call_started","call":{\#(agent),"call_type":"inbound","start_timestamp":\#(now)}}"#]
        for turn in 0..<3 {
            let role = turn % 2 == 0 ? "agent" : "user"
            bodies.append(#"{"event":"mid_call","mid_call":{\#(agent),"timestamp":\#(now + Int64(turn)),"event_type":"call_message","event_data":{"role":"\#(role)","content":"주문 상태를 확인하고 싶습니다."}}}"#)
        }
        bodies.append(#"{"event":"call_ended","call":{\#(agent),"call_type":"inbound","start_timestamp":\#(now),"end_timestamp":\#(now + 3),"disconnection_reason":"user_hangup"}}"#)
        for (index, body) in bodies.enumerated() {
            if index == bodies.count - 1 { times.ended(callID) }
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                throw BenchFailure(message: "the intake answered \((response as? HTTPURLResponse)?.statusCode ?? 0) to \(callID)")
            }
        }
    }

    /// When each call's end was posted and how long its record took.
    private final class Times: Sendable {
        private let state = Mutex<(ended: [String: ContinuousClock.Instant], latencies: [String: Duration])>(([:], [:]))

        func ended(_ callID: String) {
            let now = ContinuousClock.now
            state.withLock { $0.ended[callID] = now }
        }

        func recorded(_ callID: String) {
            let now = ContinuousClock.now
            state.withLock { state in
                if let start = state.ended[callID], state.latencies[callID] == nil { state.latencies[callID] = now - start }
            }
        }

        func latencies(of callIDs: [String]) -> [Duration] {
            state.withLock { state in callIDs.compactMap { state.latencies[$0] } }
        }
    }
}
