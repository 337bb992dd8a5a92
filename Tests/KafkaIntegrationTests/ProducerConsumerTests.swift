import Foundation
import Kafka
import Testing

@Suite("Producer and consumer on the embedded broker", .serialized)
struct ProducerConsumerTests {
    @Test("10,000 keyed messages: all acknowledged, read back in partition order, a key keeps its partition")
    func keyedRoundTrip() async throws {
        try await withEmbeddedCluster(topics: ["round-trip": 12]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            let count = 10_000
            let reports = try await withRunning(producer) {
                try await produce(producer, topic: "round-trip", count: count, key: { "call-\($0 % 500)" })
            }
            #expect(reports.count == count)
            var partitionOfKey: [String: Int32] = [:]
            for (index, report) in reports.enumerated() {
                let key = "call-\(index % 500)"
                #expect(partitionOfKey[key, default: report.partition] == report.partition, "key \(key) moved partition")
                partitionOfKey[key] = report.partition
            }
            #expect(Set(reports.map(\.partition)).count == 12, "500 keys should spread over all 12 partitions")

            let driver = try ConsumerDriver(groupConsumerConfiguration(cluster, topic: "round-trip", group: "round-trip"))
            try await driver.wait("all messages consumed") { $0.messages.count >= count }
            try await driver.stop()
            let messages = driver.messages
            #expect(messages.count == count)
            // Per partition, offsets arrive strictly increasing, and match what the producer was told.
            let byPartition = Dictionary(grouping: messages, by: \.partition)
            for (partition, list) in byPartition {
                #expect(zip(list, list.dropFirst()).allSatisfy { $0.offset < $1.offset }, "partition \(partition) out of order")
            }
            let reported = Set(reports.map { "\($0.partition)/\($0.offset)" })
            let consumed = Set(messages.map { "\($0.partition)/\($0.offset)" })
            #expect(reported == consumed)
            // A message keeps its key, value and headers.
            for message in messages.prefix(100) {
                let index = Int(message.headers.string(for: "index") ?? "") ?? -1
                #expect(message.valueString == "message-\(index)")
                #expect(Array(message.headers) == [KafkaHeader(key: "index", string: "\(index)"), KafkaHeader(key: "no-value", value: nil), KafkaHeader(key: "이름", string: "김민준")])
                #expect(message.keyString == "call-\(index % 500)")
                #expect(partitionOfKey[message.keyString ?? ""] == message.partition)
            }
        }
    }

    @Test("A message decoder reads each message in place on the polling thread: what it attaches arrives, in order, and what it does not copy is not there")
    func messageDecoder() async throws {
        try await withEmbeddedCluster(topics: ["decoded": 3]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            let count = 300
            // Every third message has no key: the decoder copies those whole, the others not at all.
            _ = try await withRunning(producer) {
                try await produce(producer, topic: "decoded", count: count, key: { $0 % 3 == 0 ? nil : "call-\($0 % 30)" })
            }
            var configuration = groupConsumerConfiguration(cluster, topic: "decoded", group: "decoded")
            configuration.messageDecoder = { polled in
                let decoded = DecodedValue(text: String(decoding: polled.value, as: UTF8.self), thread: Thread.current.name ?? "")
                return polled.key == nil ? polled.message(decoded: decoded) : polled.position(decoded: decoded)
            }
            let driver = try ConsumerDriver(configuration)
            try await driver.wait("all messages consumed") { $0.messages.count >= count }
            try await driver.stop()
            let messages = driver.messages
            #expect(messages.count == count)
            var indexes: Set<Int> = []
            for message in messages {
                let decoded = try #require(message.decoded as? DecodedValue)
                #expect(decoded.thread == "kafka-consumer", "on the polling thread")
                let index = try #require(Int(decoded.text.dropFirst("message-".count)))
                indexes.insert(index)
                if index % 3 == 0 {
                    #expect(message.valueString == decoded.text)
                    #expect(message.key == nil)
                    #expect(message.headers.string(for: "index") == "\(index)")
                } else {
                    #expect(message.value.isEmpty && message.key == nil && message.headers.isEmpty, "a position only")
                }
            }
            #expect(indexes == Set(0..<count))
            for (partition, list) in Dictionary(grouping: messages, by: \.partition) {
                #expect(zip(list, list.dropFirst()).allSatisfy { $0.offset < $1.offset }, "partition \(partition) out of order")
            }
        }
    }

    @Test("Two consumers split 12 partitions; when one leaves, the other owns all and resumes from committed offsets")
    func groupRebalance() async throws {
        try await withEmbeddedCluster(topics: ["split": 12]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            let producerRunner = Task { try await producer.run() }
            let configuration = groupConsumerConfiguration(cluster, topic: "split", group: "split-group")
            let first = try ConsumerDriver(configuration)
            let second = try ConsumerDriver(configuration)
            // The messages come once both members hold their share: had the first read some alone,
            // its commit on the revocation that brings the second in would be refused (the embedded
            // broker refuses commits during a rebalance) and the second would read them again.
            try await first.wait("both members assigned", timeout: .seconds(90)) { firstState in
                let secondAssigned = second.assigned
                return !firstState.assigned.isEmpty && !secondAssigned.isEmpty && firstState.assigned.union(secondAssigned).count == 12
            }
            _ = try await produce(producer, topic: "split", count: 1200, key: { "k\($0)" })
            try await first.wait("all read", timeout: .seconds(90)) { $0.messages.count + second.messages.count >= 1200 }
            #expect(first.assigned.isDisjoint(with: second.assigned))
            // Steady state: each member commits what it stored (a worker does this after its records are
            // safe). A commit made while the group still settles stores nothing (the mock refuses it, or a
            // late revocation dropped what was stored), so commit until all 1,200 are committed.
            let everyPartition = (0..<12).map { KafkaTopicPartition(topic: "split", partition: $0) }
            let settled = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < settled {
                try? await first.consumer.commit()
                try? await second.consumer.commit()
                let committed = try await first.consumer.committedOffsets(for: everyPartition)
                if committed.reduce(0, { $0 + max(0, $1.offset) }) >= 1200 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let secondPartitions = second.assigned
            let readBeforeLeaving = first.messages.count

            try await second.stop()
            try await first.wait("survivor owns all 12", timeout: .seconds(90)) { $0.assigned.count == 12 }
            let committed = try await first.consumer.committedOffsets(for: everyPartition)
            _ = try await produce(producer, topic: "split", count: 1200, key: { "k\($0 + 1200)" })
            try await first.wait("survivor read the rest", timeout: .seconds(90)) { $0.messages.count + second.messages.count >= 2400 }
            try await first.stop()

            let all = first.messages + second.messages
            let positions = all.map { "\($0.partition)/\($0.offset)" }
            #expect(Set(positions).count == 2400, "nothing lost")
            #expect(positions.count == 2400, "nothing read twice")
            // On each partition taken over, the survivor's first message is at the committed offset.
            let afterTakeover = first.messages[readBeforeLeaving...]
            for partition in secondPartitions {
                let resumedAt = afterTakeover.first { $0.topicPartition == partition }?.offset
                let committedAt = committed.first { $0.topicPartition == partition }?.offset
                #expect(resumedAt != nil && resumedAt == committedAt, "\(partition) resumed at \(String(describing: resumedAt)), committed \(String(describing: committedAt))")
            }
            producer.triggerGracefulShutdown()
            try await producerRunner.value
        }
    }

    @Test("Only explicitly stored offsets are committed; a restarted consumer resumes exactly there")
    func storedOffsetsOnly() async throws {
        try await withEmbeddedCluster(topics: ["stored": 1]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            _ = try await withRunning(producer) { try await produce(producer, topic: "stored", count: 100, key: { _ in "same" }) }

            // Auto-commit on, nothing stored: nothing may be committed.
            var configuration = groupConsumerConfiguration(cluster, topic: "stored", group: "stored-group")
            configuration.autoCommitInterval = .milliseconds(100)
            let unstored = try ConsumerDriver(configuration, storeOffsets: false)
            try await unstored.wait("read all") { $0.messages.count == 100 }
            try await Task.sleep(for: .milliseconds(500))  // several auto-commit intervals
            let committedBefore = try await unstored.consumer.committedOffsets(for: [KafkaTopicPartition(topic: "stored", partition: 0)])
            #expect(committedBefore.map(\.offset).allSatisfy { $0 < 0 }, "nothing stored, so nothing committed: \(committedBefore)")
            // Store after the 41st message (offset 40) and commit explicitly.
            try unstored.consumer.storeOffsets([KafkaTopicPartitionOffset(topic: "stored", partition: 0, offset: 41)])
            try await unstored.consumer.commit()
            try await unstored.stop()

            let restarted = try ConsumerDriver(configuration, storeOffsets: false)
            try await restarted.wait("read the rest") { $0.messages.count >= 59 }
            try await Task.sleep(for: .milliseconds(300))
            try await restarted.stop()
            #expect(restarted.messages.first?.offset == 41)
            #expect(restarted.messages.map(\.offset) == Array(41..<100))
        }
    }

    @Test("Seek by offset and by timestamp")
    func seek() async throws {
        try await withEmbeddedCluster(topics: ["seek": 1]) { cluster in
            let base: Int64 = 1_764_000_000_000
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            // One at a time, so offset i carries timestamp base + i s.
            try await withRunning(producer) {
                for index in 0..<100 {
                    _ = try await producer.send(KafkaProducerMessage(
                        topic: "seek", key: "k", value: "message-\(index)", timestampMilliseconds: base + Int64(index) * 1000
                    ))
                }
            }
            let partition = KafkaTopicPartition(topic: "seek", partition: 0)
            var configuration = KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers,
                subscription: .partitions([KafkaTopicPartitionOffset(partition, offset: KafkaOffset.beginning)]), groupID: nil
            )
            configuration.bufferCapacity = 5  // so that messages before the seek are surely buffered
            let consumer = try KafkaConsumer(configuration: configuration, logger: testLogger())
            let runner = Task { try await consumer.run() }
            var iterator = consumer.events.makeAsyncIterator()
            #expect(await iterator.next() == .partitionsAssigned([partition]))
            let first = try #require(await nextMessage(&iterator))
            #expect(first.offset == 0)
            #expect(first.timestampMilliseconds == base)

            try await consumer.seek([KafkaTopicPartitionOffset(partition, offset: 50)])
            #expect(await nextMessage(&iterator)?.offset == 50)
            #expect(await nextMessage(&iterator)?.offset == 51)

            try await consumer.seek(toTimestamp: base + 70_000, partitions: [partition])
            let afterTimestampSeek = await nextMessage(&iterator)
            #expect(afterTimestampSeek?.offset == 70, "got \(String(describing: afterTimestampSeek?.offset)) at \(String(describing: afterTimestampSeek?.timestampMilliseconds))")
            try await consumer.seek(toTimestamp: base + 9_500, partitions: [partition])
            #expect(await nextMessage(&iterator)?.offset == 10, "the first message at or after the time")

            let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger())
            let past = try await admin.offsets(forTimestamp: base + 1_000_000, partitions: [partition])
            #expect(past.map(\.offset) == [100], "after the last message: the end")
            let before = try await admin.offsets(forTimestamp: base - 1, partitions: [partition])
            #expect(before.map(\.offset) == [0])
            await admin.shutdown()
            consumer.triggerGracefulShutdown()
            try await runner.value
        }
    }

    @Test("Pause stops a partition's messages; resume brings them back")
    func pauseResume() async throws {
        try await withEmbeddedCluster(topics: ["pause": 1]) { cluster in
            let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: testLogger())
            let producerRunner = Task { try await producer.run() }
            let partition = KafkaTopicPartition(topic: "pause", partition: 0)
            let configuration = KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers,
                subscription: .partitions([KafkaTopicPartitionOffset(partition, offset: KafkaOffset.beginning)]), groupID: nil
            )
            let driver = try ConsumerDriver(configuration, storeOffsets: false)
            _ = try await produce(producer, topic: "pause", count: 10, key: { _ in "k" })
            try await driver.wait("first ten") { $0.messages.count == 10 }
            try driver.consumer.pause([partition])
            _ = try await produce(producer, topic: "pause", count: 10, key: { _ in "k" })
            try await Task.sleep(for: .seconds(1))
            #expect(driver.messages.count == 10, "a paused partition delivers nothing new")
            try driver.consumer.resume([partition])
            try await driver.wait("the rest after resume") { $0.messages.count == 20 }
            try await driver.stop()
            producer.triggerGracefulShutdown()
            try await producerRunner.value
        }
    }
}

private func nextMessage(_ iterator: inout KafkaConsumerEvents.AsyncIterator) async -> KafkaMessage? {
    while let event = await iterator.next() {
        if case .message(let message) = event { return message }
    }
    return nil
}

/// What the decoder in ``ProducerConsumerTests/messageDecoder()`` attaches: the value as text, and
/// the name of the thread that decoded it.
private final class DecodedValue: Sendable {
    let text: String
    let thread: String

    init(text: String, thread: String) {
        self.text = text
        self.thread = thread
    }
}
