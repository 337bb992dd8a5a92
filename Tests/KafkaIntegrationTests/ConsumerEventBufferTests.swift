@testable import Kafka
import Testing

/// The hand-over from the polling thread, without a broker: this test plays the polling thread.
@Suite("Consumer event buffer: runs of messages and rebalances in order")
struct ConsumerEventBufferTests {
    private static func message(_ partition: Int32, _ offset: Int64) -> KafkaMessage {
        KafkaMessage(topic: "t", partition: partition, offset: offset, key: Array("k\(offset)".utf8), value: Array("v\(offset)".utf8))
    }

    private static func offsets(_ messages: [KafkaMessage]) -> [Int64] { messages.map(\.offset) }

    private static func stage(_ buffer: ConsumerEventBuffer, _ offsets: ClosedRange<Int64>, partition: Int32 = 0) {
        for offset in offsets { buffer.stage(message(partition, offset)) }
    }

    @Test("A rebalance never overtakes a message staged before it, and ready messages stop before it")
    func controlKeepsItsPlace() {
        let buffer = ConsumerEventBuffer(capacity: 100)
        Self.stage(buffer, 0...2)
        #expect(buffer.flushStaged(wait: 0))
        Self.stage(buffer, 3...4)
        // Pushed while two messages are still staged: they go in first.
        let assigned = [KafkaTopicPartition(topic: "t", partition: 1)]
        buffer.pushControl(.event(.partitionsAssigned(assigned)))
        Self.stage(buffer, 5...5)
        #expect(buffer.flushStaged(wait: 0))

        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [0, 1, 2], "one run at a time")
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [3, 4])
        #expect(buffer.takeMessages(maximum: 100).isEmpty, "the rebalance is next")
        let batch = buffer.takeBatch(maximum: 100)
        #expect(batch.count == 1)
        if case .event(.partitionsAssigned(let partitions))? = batch.first {
            #expect(partitions == assigned)
        } else {
            Issue.record("expected the assignment, got \(batch)")
        }
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [5])
        #expect(buffer.takeBatch(maximum: 100).isEmpty)
    }

    @Test("Messages are taken whole and in order, however they are asked for")
    func takingKeepsTheMessages() async {
        let buffer = ConsumerEventBuffer(capacity: 100)
        Self.stage(buffer, 0...9)
        #expect(buffer.flushStaged(wait: 0))
        #expect(Self.offsets(buffer.takeMessages(maximum: 3)) == [0, 1, 2])
        let batch = buffer.takeBatch(maximum: 2)
        #expect(batch.count == 2)
        guard case .event(.message(let single))? = await buffer.next() else {
            Issue.record("expected a message")
            return
        }
        #expect(single == Self.message(0, 5), "key and value travel with it")
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [6, 7, 8, 9])
    }

    @Test("A full buffer holds the polling thread back until the reader takes half")
    func capacity() {
        let buffer = ConsumerEventBuffer(capacity: 4)
        Self.stage(buffer, 0...3)
        #expect(buffer.flushStaged(wait: 0))
        Self.stage(buffer, 4...5)
        #expect(!buffer.flushStaged(wait: 0.01), "full: the run stays staged")
        #expect(buffer.hasStaged)
        #expect(Self.offsets(buffer.takeMessages(maximum: 2)) == [0, 1])
        #expect(buffer.flushStaged(wait: 0.01))
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [2, 3])
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [4, 5])
    }

    @Test("After a seek, buffered and staged messages of the partition are dropped, the others kept")
    func discard() {
        let buffer = ConsumerEventBuffer(capacity: 100)
        Self.stage(buffer, 0...2, partition: 0)
        Self.stage(buffer, 10...12, partition: 1)
        #expect(buffer.flushStaged(wait: 0))
        Self.stage(buffer, 3...4, partition: 0)
        Self.stage(buffer, 13...13, partition: 1)
        buffer.discardMessages(of: [KafkaTopicPartition(topic: "t", partition: 1)])
        #expect(buffer.flushStaged(wait: 0))
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [0, 1, 2])
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [3, 4])
    }

    @Test("A waiting reader wakes for a run and, once finished and drained, learns it is over")
    func waiting() async {
        let buffer = ConsumerEventBuffer(capacity: 100)
        async let woke = buffer.waitForItems()
        try? await Task.sleep(for: .milliseconds(20))
        Self.stage(buffer, 0...1)
        #expect(buffer.flushStaged(wait: 0))
        #expect(await woke)
        #expect(Self.offsets(buffer.takeMessages(maximum: 100)) == [0, 1])
        buffer.finish()
        #expect(await buffer.waitForItems() == false)
        let last = await buffer.next()
        #expect(last == nil)
    }
}
