import CallAssembly
import CallEvents
import Foundation
import Kafka
import Logging
import Synchronization
import Worker

/// A worker replaying a preloaded raw topic (complete calls, so it assembles and produces records)
/// next to kcat consuming the same topic, on one embedded broker.
struct WorkerBench {
    let cluster: EmbeddedKafkaCluster
    let calls: Int
    let logger: Logger
    let partitions: Int32 = 12

    func run() async throws -> [BenchResult] {
        let topic = "bench.worker.events"
        try cluster.createTopic(topic, partitions: partitions)
        try cluster.createTopic("bench.worker.records", partitions: partitions)
        let total = try await preload(topic: topic)

        let kcatStarted = ContinuousClock.now
        let output = try shell("sh", "-c", "kcat -C -b \(cluster.bootstrapServers) -t \(topic) -o beginning -c \(total) -q -f '%o\\n' | wc -l")
        let kcatRate = Double(total) / (ContinuousClock.now - kcatStarted).seconds
        guard Int(output) == total else { throw BenchFailure(message: "kcat read \(output) of \(total) events") }

        let (workerRate, records) = try await replay(topic: topic, total: total)
        guard records == calls else { throw BenchFailure(message: "the worker emitted \(records) records for \(calls) calls") }
        return [
            BenchResult(name: "worker, events assembled from a preloaded topic (\(calls) calls, \(total) events, records produced)",
                        value: workerRate, unit: "events/s", reference: kcatRate, referenceName: "kcat consuming the same topic",
                        target: "≥ 0.7× kcat", met: workerRate >= 0.7 * kcatRate),
        ]
    }

    /// Produces every call's 20 `mid_call` events, a `call_ended` each, and a tick per partition that
    /// moves stream time past every wait; returns how many messages the topic holds.
    private func preload(topic: String) async throws -> Int {
        let workload = AssemblerWorkload(calls: calls, eventsPerCall: 20, contentBytes: 60)
        var messages = workload.events.map { body in
            KafkaProducerMessage(topic: topic, key: (try? EventKey.extract(from: body).callID).map { Array($0.utf8) } ?? nil, value: body)
        }
        let start: Int64 = 1_775_980_200_000
        let end = start + Int64(20 * calls)
        for call in 0..<calls {
            let id = "bench-\(call)-6b0f1f08-1c2b-4f0e-9c3a"
            let body = #"{"event":"call_ended","call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"\#(id)","call_type":"inbound","start_timestamp":\#(start),"end_timestamp":\#(end),"disconnection_reason":"user_hangup"}}"#
            messages.append(KafkaProducerMessage(topic: topic, key: id, value: body))
        }
        for partition in 0..<partitions {
            messages.append(KafkaProducerMessage(topic: topic, key: nil, value: Tick.encode(atMs: end + 3_600_000), partition: partition))
        }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers), logger: logger)
        let runner = Task { try await producer.run() }
        for result in await producer.send(messages) { _ = try result.get() }
        producer.triggerGracefulShutdown()
        try await runner.value
        return messages.count
    }

    /// Events per second from the first event read to the last (group join excluded, as kcat has none).
    private func replay(topic: String, total: Int) async throws -> (Double, Int) {
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: logger)
        let metadata = try await admin.metadata(topics: [topic])
        await admin.shutdown()
        let ends = Dictionary(uniqueKeysWithValues: (metadata.topic(topic)?.partitions ?? []).map { ($0.id, $0.highWatermark) })
        var configuration = WorkerConfiguration()
        configuration.bootstrapServers = cluster.bootstrapServers
        configuration.eventsTopic = topic
        configuration.recordsTopic = "bench.worker.records"
        configuration.groupID = "bench-worker"
        configuration.replay = ReplayPlan(start: .earliest, endOffsets: ends, lowOffsets: ends.mapValues { _ in 0 })
        let progress = Progress()
        let worker = Worker(configuration: configuration, logger: logger, onRecord: { _ in progress.record() }) { read, _ in progress.update(read) }
        try await worker.run()
        return try progress.rate(total: total)
    }

    private final class Progress: Sendable {
        private struct State {
            var firstRead: (ContinuousClock.Instant, Int64)?
            var records = 0
        }
        private let state = Mutex(State())
        private let finished = Mutex<ContinuousClock.Instant?>(nil)

        func record() { state.withLock { $0.records += 1 } }

        func update(_ read: Int64) {
            let now = ContinuousClock.now
            state.withLock { if $0.firstRead == nil, read > 0 { $0.firstRead = (now, read) } }
        }

        func rate(total: Int) throws -> (Double, Int) {
            let done = ContinuousClock.now
            return try state.withLock { state in
                guard let (start, read) = state.firstRead else { throw BenchFailure(message: "the worker read nothing") }
                return (Double(Int64(total) - read) / (done - start).seconds, state.records)
            }
        }
    }
}
