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
        let output = try shell("sh", "-c", "kcat -C -X fetch.wait.max.ms=50 -b \(cluster.bootstrapServers) -t \(topic) -o beginning -c \(total) -q -f '%o\\n' | wc -l")
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

    /// Calls one after another in time (20 `mid_call` events and a `call_ended` each, keyed by
    /// call id), so that records come out all through the replay; then a tick per partition that
    /// moves stream time past every wait. Returns how many messages the topic holds.
    private func preload(topic: String) async throws -> Int {
        let messages = Self.messages(calls: calls, topic: topic, partitions: partitions)
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        producerConfiguration.maximumQueuedMessages = max(100_000, messages.count)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let runner = Task { try await producer.run() }
        for result in await producer.send(messages) { _ = try result.get() }
        producer.triggerGracefulShutdown()
        try await runner.value
        return messages.count
    }

    /// The preloaded messages: see ``preload(topic:)``.
    static func messages(calls: Int, topic: String, partitions: Int32) -> [KafkaProducerMessage] {
        let start: Int64 = 1_775_980_200_000
        let content = "주문 상태를 확인하고 싶습니다. Where is my order?"
        var messages: [KafkaProducerMessage] = []
        messages.reserveCapacity(calls * 21 + Int(partitions))
        for call in 0..<calls {
            let id = "bench-\(call)-6b0f1f08-1c2b-4f0e-9c3a"
            let callStart = start + Int64(call) * 30_000
            for event in 0..<20 {
                let role = event % 2 == 0 ? "agent" : "user"
                let body = #"{"event":"mid_call","mid_call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"\#(id)","timestamp":\#(callStart + Int64(event) * 1000),"event_type":"call_message","event_data":{"role":"\#(role)","content":"\#(content)"}}}"#
                messages.append(KafkaProducerMessage(topic: topic, key: id, value: body))
            }
            let ended = #"{"event":"call_ended","call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"\#(id)","call_type":"inbound","start_timestamp":\#(callStart),"end_timestamp":\#(callStart + 25_000),"disconnection_reason":"user_hangup"}}"#
            messages.append(KafkaProducerMessage(topic: topic, key: id, value: ended))
        }
        for partition in 0..<partitions {
            messages.append(KafkaProducerMessage(topic: topic, key: nil, value: Tick.encode(atMs: start + Int64(calls + 10) * 30_000), partition: partition))
        }
        return messages
    }

    /// Events per second between the first record and the last (21 events a call): the steady
    /// state, without the group join (kcat joins none) or the worker's shutdown.
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
        let records = RecordTimes()
        let worker = Worker(configuration: configuration, logger: logger, onRecord: { _ in records.add() })
        try await worker.run()
        return try records.rate(eventsPerRecord: 21)
    }

    private final class RecordTimes: Sendable {
        private let times = Mutex<[ContinuousClock.Instant]>([])

        func add() {
            let now = ContinuousClock.now
            times.withLock { $0.append(now) }
        }

        func rate(eventsPerRecord: Int) throws -> (Double, Int) {
            try times.withLock { times in
                guard let first = times.first, let last = times.last, times.count > 1 else { throw BenchFailure(message: "the worker emitted \(times.count) records") }
                return (Double((times.count - 1) * eventsPerRecord) / (last - first).seconds, times.count)
            }
        }
    }
}
