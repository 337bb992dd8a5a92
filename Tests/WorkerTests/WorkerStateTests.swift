import CallAssembly
import CallEvents
import Kafka
import Testing
import Worker

/// The worker's state machine, without a broker.
@Suite struct WorkerStateTests {
    private static func message(_ raw: String, partition: Int32 = 0, offset: Int64, headers: KafkaHeaders = []) -> KafkaMessage {
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
        // The wall clock is far ahead of the event times: only the quiet timer applies.
        let wallMs: Int64 = 1_790_000_000_000
        #expect(state.partitionsNeedingTicks(nowMs: 5_000, wallMs: wallMs).isEmpty)
        #expect(state.partitionsNeedingTicks(nowMs: 6_000, wallMs: wallMs) == [0])
        #expect(state.partitionsNeedingTicks(nowMs: 7_000, wallMs: wallMs + 1_000).isEmpty, "the timer restarts after a tick")
        state.revoke([0])
        #expect(state.partitionsNeedingTicks(nowMs: 60_000, wallMs: wallMs + 60_000).isEmpty)
    }

    /// A call that ended at `endMs` (stream time), in a partition whose stream time follows the wall clock.
    private static func endedCall(at endMs: Int64) -> WorkerState {
        var state = Self.state()
        let started = #"{"event":"call_started","call":{"call_id":"c1","agent_id":"a","start_timestamp":\#(endMs - 3)}}"#
        let ended = #"{"event":"call_ended","call":{"call_id":"c1","agent_id":"a","start_timestamp":\#(endMs - 3),"end_timestamp":\#(endMs)}}"#
        state.receive(Self.message(started, offset: 0), nowMs: 0)
        state.receive(Self.message(ended, offset: 1), nowMs: 0)
        return state
    }

    @Test func aLivePartitionGetsATickOnceItsNextDeadlinePassedInWallTime() throws {
        let endMs: Int64 = 1_780_000_000_000
        var state = Self.endedCall(at: endMs)
        let grace: Int64 = 5_000
        #expect(state.partitionsNeedingTicks(nowMs: 100, wallMs: endMs + grace - 1).isEmpty, "the grace period has not passed")
        #expect(state.partitionsNeedingTicks(nowMs: 110, wallMs: endMs + grace) == [0])
        #expect(state.partitionsNeedingTicks(nowMs: 120, wallMs: endMs + grace + 10).isEmpty, "one tick on its way at a time")
        let tick = Self.message(String(decoding: Tick.encode(atMs: endMs + grace), as: UTF8.self), offset: 2)
        let actions = state.receive(tick, nowMs: 130)
        #expect(actions.contains { if case .emit = $0 { true } else { false } }, "the tick read back emits the record")
        #expect(state.partitionsNeedingTicks(nowMs: 140, wallMs: endMs + grace + 20).isEmpty, "nothing else is due")
    }

    @Test func aTickThatDoesNotComeBackIsWrittenAgainAfterASecond() throws {
        let endMs: Int64 = 1_780_000_000_000
        var state = Self.endedCall(at: endMs)
        #expect(state.partitionsNeedingTicks(nowMs: 100, wallMs: endMs + 5_000) == [0])
        #expect(state.partitionsNeedingTicks(nowMs: 600, wallMs: endMs + 5_500).isEmpty)
        #expect(state.partitionsNeedingTicks(nowMs: 1_100, wallMs: endMs + 6_000) == [0])
    }

    @Test func aPartitionFarBehindTheWallClockGetsOnlyQuietTicks() throws {
        let endMs: Int64 = 1_780_000_000_000
        var state = Self.endedCall(at: endMs)
        // A backlog or old event times: the deadline passed long ago in wall time.
        #expect(state.partitionsNeedingTicks(nowMs: 100, wallMs: endMs + 60_000).isEmpty)
        #expect(state.partitionsNeedingTicks(nowMs: 5_000, wallMs: endMs + 65_000) == [0], "the quiet timer still applies")
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
