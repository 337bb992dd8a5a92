import CallAssembly
import CallEvents
import Testing

/// Every call leaves a superseded deadline behind (its open-call limit, hours away); the assembler
/// sweeps them out past a few thousand. The sweep must keep every deadline still in force.
@Suite("Deadline sweeps")
struct DeadlineSweepTests {
    @Test func twelveThousandCallsEachEmittedOnceAndTheOpenOnesAtTheirLimit() {
        var feed = Feed()
        let start: Int64 = 1_790_000_000_000
        var ended: [String] = []
        var open: [String] = []
        for index in 0..<12_000 {
            let callID = "sweep-\(index)"
            let at = start + Int64(index) * 15
            feed.send(bytes(#"{"event":"call_started","call":{"call_id":"\#(callID)","agent_id":"a","start_timestamp":\#(at)}}"#))
            if index % 100 == 7 {
                open.append(callID)
                continue
            }
            feed.send(bytes(#"{"event":"call_ended","call":{"call_id":"\#(callID)","agent_id":"a","start_timestamp":\#(at),"end_timestamp":\#(at + 10)}}"#))
            ended.append(callID)
        }
        // Past the grace period of the last call, short of the open-call limit.
        feed.tick(start + 12_000 * 15 + 60_000)
        #expect(feed.emitted.map(\.callID) == ended, "each ended call once, in the order its time came")
        #expect(feed.emitted.allSatisfy { $0.revision == 1 })

        // Past the open-call limit: the calls never ended come out incomplete, in start order.
        let before = feed.emitted.count
        feed.tick(start + 5 * 3_600_000)
        let late = Array(feed.emitted[before...])
        #expect(late.map(\.callID) == open)
        #expect(late.allSatisfy { text($0.bytes).contains(#""status":"incomplete""#) })
    }
}
