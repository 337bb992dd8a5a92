import Kafka
import Sinks
import Testing

@Suite("Sink runner state and retry policy (no broker)")
struct SinkRunnerStateTests {
    private let p0 = KafkaTopicPartition(topic: "r", partition: 0)
    private let p1 = KafkaTopicPartition(topic: "r", partition: 1)

    private func message(_ partition: KafkaTopicPartition, _ offset: Int64) -> KafkaMessage {
        KafkaMessage(topic: partition.topic, partition: partition.partition, offset: offset, key: nil, value: [], headers: [])
    }

    @Test func offsetsAreCommittableOnlyPastFinishedBatches() {
        var state = SinkRunnerState()
        state.assign([p0, p1])
        for offset in 0..<3 { state.receive(message(p0, Int64(offset))) }
        state.receive(message(p1, 7))
        let first = state.takeBatch(maximum: 2)
        #expect(first.map(\.offset) == [0, 1])
        #expect(state.commitCandidates().isEmpty)
        #expect(!state.isDrained([p0]))
        state.finish(first)
        #expect(state.commitCandidates() == [KafkaTopicPartitionOffset(p0, offset: 2)])
        state.markCommitted(state.commitCandidates())
        #expect(state.commitCandidates().isEmpty)

        let second = state.takeBatch(maximum: 10)
        #expect(second.map(\.offset) == [2, 7])
        state.abandon(second)
        #expect(state.commitCandidates().isEmpty, "an abandoned batch moves no offset")
        #expect(state.isDrained([p0, p1]))
    }

    @Test func revokedPartitionsForgetWhatWasReadAndIgnoreLateFinishes() {
        var state = SinkRunnerState()
        state.assign([p0, p1])
        state.receive(message(p0, 0))
        state.receive(message(p1, 0))
        let batch = state.takeBatch(maximum: 1)
        state.receive(message(p1, 1))
        state.revoke([p1])
        #expect(state.pendingCount == 0)
        state.receive(message(p1, 2))
        #expect(state.pendingCount == 0, "messages of a revoked partition are dropped")
        state.finish(batch)
        #expect(state.commitCandidates() == [KafkaTopicPartitionOffset(p0, offset: 1)])
    }

    @Test func backoffDoublesUpToItsMaximum() {
        let policy = RetryPolicy(maximumAttempts: 5, initialDelay: .milliseconds(100), maximumDelay: .milliseconds(500))
        #expect((1...5).map { policy.delay(afterAttempt: $0) } == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
    }

    @Test func recordsNeedCallIDAndRevision() throws {
        #expect(throws: SinkError.self) { try SinkRecord(json: Array(#"{"revision":1}"#.utf8)) }
        #expect(throws: SinkError.self) { try SinkRecord(json: Array(#"{"call_id":"a","revision":0}"#.utf8)) }
        #expect(throws: SinkError.self) { try SinkRecord(json: Array("not json".utf8)) }
        let record = try SinkRecord(json: Array(#"{"call_id":"a","revision":2,"ended_at_ms":5}"#.utf8))
        #expect(record.callID == "a" && record.revision == 2 && record.endedAtMs == 5)
    }
}
