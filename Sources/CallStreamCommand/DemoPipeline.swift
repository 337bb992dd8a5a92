import CallAssembly
import CallEvents
import Foundation
import Kafka
import Logging

/// The demo's round trip; see ``DemoCommand``.
struct DemoPipeline {
    let cluster: EmbeddedKafkaCluster
    let partitions: Int32
    let logger: Logger
    let rawTopic = "callstream.events"
    let recordsTopic = "callstream.records"

    func run(bodies: [[UInt8]]) async throws {
        try cluster.createTopic(rawTopic, partitions: partitions)
        try cluster.createTopic(recordsTopic, partitions: partitions)
        print("embedded broker at \(cluster.bootstrapServers)")

        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        producerConfiguration.shutdownTimeout = .seconds(5)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let producerTask = Task { try await producer.run() }
        defer { producer.triggerGracefulShutdown() }

        // 1. The webhooks, as the intake would publish them.
        var latestEventTime: Int64 = 0
        for body in bodies {
            let key = try EventKey.extract(from: body)
            if let event = try? CallEvent(decoding: body) {
                latestEventTime = max(latestEventTime, event.eventTimeMs ?? 0)
            }
            _ = try await producer.send(KafkaProducerMessage(
                topic: rawTopic, key: key.callID.map { Array($0.utf8) }, value: body,
                headers: [KafkaHeader(key: "event", string: key.event.rawValue)]
            ))
        }
        // Time passes: a tick in every partition moves stream time past every wait.
        for partition in 0..<partitions {
            _ = try await producer.send(KafkaProducerMessage(
                topic: rawTopic, key: nil, value: Tick.encode(atMs: latestEventTime + 10 * 60 * 1000), partition: partition
            ))
        }
        print("published \(bodies.count) webhooks of \(Set(bodies.compactMap { try? EventKey.extract(from: $0).callID }).count) calls to \(rawTopic) (\(partitions) partitions)")

        // 2. Read the raw topic back, assemble per partition, produce the records.
        let raw = try await readAll(topic: rawTopic)
        var emitted = 0
        var deadLetters = 0
        for (partition, messages) in raw.sorted(by: { $0.key < $1.key }) {
            var assembler = CallAssembler(topic: rawTopic, partition: partition)
            for message in messages {
                for action in assembler.receive(message.value, offset: message.offset) {
                    switch action {
                    case .emit(let record):
                        _ = try await producer.send(KafkaProducerMessage(topic: recordsTopic, key: record.callID, value: String(decoding: record.bytes, as: UTF8.self)))
                        emitted += 1
                    case .deadLetter:
                        deadLetters += 1
                    }
                    assembler.acknowledge(action.receipt)
                }
            }
        }

        // 3. The records topic, as a sink would see it.
        let records = try await readAll(topic: recordsTopic).values.flatMap { $0 }.sorted { $0.keyString ?? "" < $1.keyString ?? "" }
        for message in records {
            print(DemoRecordPrinter.describe(message.value))
        }
        print("summary: \(bodies.count) webhooks → \(emitted) records on \(recordsTopic) (\(records.count) read back), \(deadLetters) dead letters")
        producer.triggerGracefulShutdown()
        try await producerTask.value
        guard records.count == emitted, emitted > 0 else { throw DemoFailure(message: "expected \(emitted) records, read \(records.count)") }
    }

    /// Every message of `topic`, per partition, up to the high watermarks taken now.
    private func readAll(topic: String) async throws -> [Int32: [KafkaMessage]] {
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: logger)
        let metadata = try await admin.metadata(topics: [topic])
        await admin.shutdown()
        let ends = Dictionary(uniqueKeysWithValues: (metadata.topic(topic)?.partitions ?? []).map { ($0.id, $0.highWatermark) })
        let expected = ends.values.reduce(0, +)
        var result: [Int32: [KafkaMessage]] = [:]
        guard expected > 0 else { return result }
        let configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            subscription: .partitions(ends.keys.sorted().map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
            groupID: nil
        )
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let task = Task { try await consumer.run() }
        var count: Int64 = 0
        for await event in consumer.events {
            guard case .message(let message) = event else { continue }
            result[message.partition, default: []].append(message)
            count += 1
            if count == expected { break }
        }
        consumer.triggerGracefulShutdown()
        try await task.value
        return result
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
