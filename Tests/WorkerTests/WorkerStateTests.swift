import CallAssembly
import CallEvents
import Kafka
import Testing
import Worker

/// The worker's state machine, without a broker.
@Suite struct WorkerStateTests {
    private static func message(_ raw: String, partition: Int32 = 0, offset: Int64, headers: [KafkaHeader] = []) -> KafkaMessage {
        KafkaMessage(topic: "callstream.events", partition: partition, offset: offset, key: nil, value: Array(raw.utf8), headers: headers)
    }

    private static func state() -> WorkerState {
        var configuration = WorkerConfiguration()
        configuration.tickAfter = .seconds(5)
        var state = WorkerState(configuration: configuration)
        state.assign([0], nowMs: 0)
        return state
    }

    @Test func aDeadLetterHoldsTheCommitUntilAcknowledged() {
        var state = Self.state()
        state.receive(Self.message("not json", offset: 0, headers: [KafkaHeader(key: "x", string: "y")]), nowMs: 0)
        #expect(state.commitCandidates().map(\.offset) == [0])
        let outputs = state.takePending()
        #expect(outputs.count == 1)
        #expect(outputs[0].message.topic == "callstream.dlq")
        #expect(outputs[0].message.headers.string(for: "x") == "y")
        #expect(outputs[0].message.headers.string(for: WorkerHeader.sourceOffset) == "0")
        _ = state.settle(outputs, acknowledged: [true])
        #expect(state.commitCandidates().map(\.offset) == [1])
    }

    @Test func aFailedOutputIsRetriedAndHoldsTheWatermark() {
        var state = Self.state()
        state.receive(Self.message("[]", offset: 0), nowMs: 0)
        let outputs = state.takePending()
        _ = state.settle(outputs, acknowledged: [false])
        #expect(state.pending.count == 1)
        #expect(state.hasOutstanding([0]))
        #expect(state.commitCandidates().map(\.offset) == [0])
    }

    @Test func inboundAuditCopiesAreSkipped() {
        var state = Self.state()
        let actions = state.receive(Self.message("{}", offset: 0, headers: [KafkaHeader(key: "event", string: "call_inbound")]), nowMs: 0)
        #expect(actions.isEmpty)
        #expect(state.pending.isEmpty)
    }

    @Test func aQuietPartitionWithAnOpenCallGetsOneTickPerQuietPeriod() throws {
        var state = Self.state()
        let started = #"{"event":"call_started","call":{"call_id":"c1","agent_id":"a","start_timestamp":1780000000000}}"#
        state.receive(Self.message(started, offset: 0), nowMs: 1_000)
        #expect(state.partitionsNeedingTicks(nowMs: 5_000).isEmpty)
        #expect(state.partitionsNeedingTicks(nowMs: 6_000) == [0])
        #expect(state.partitionsNeedingTicks(nowMs: 7_000).isEmpty, "the timer restarts after a tick")
        state.revoke([0])
        #expect(state.partitionsNeedingTicks(nowMs: 60_000).isEmpty)
    }

    @Test func acknowledgementsForAnEarlierAssignmentAreIgnored() {
        var state = Self.state()
        state.receive(Self.message("nope", offset: 0), nowMs: 0)
        let outputs = state.takePending()
        state.revoke([0])
        state.assign([0], nowMs: 0)
        _ = state.settle(outputs, acknowledged: [true])
        #expect(state.commitCandidates().isEmpty, "the new assembler has read nothing")
    }
}
