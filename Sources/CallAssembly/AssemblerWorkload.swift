import CallEvents

/// A deterministic synthetic workload for benchmarks (`make bench`): `calls` concurrent calls, each
/// receiving `eventsPerCall` `mid_call` `call_message` events, interleaved round-robin, one
/// millisecond of event time apart, so that every call is still open at the end.
///
/// Pure like the rest of the module: the caller measures time (around ``run(configuration:)``)
/// and memory (before and after, keeping the returned assembler alive).
public struct AssemblerWorkload: Sendable {
    public let calls: Int
    public let eventsPerCall: Int
    /// The raw webhook bodies in stream order.
    public let events: [[UInt8]]

    /// - Parameter contentBytes: approximate UTF-8 size of each message's content (Korean text);
    ///   `0` gives empty contents, to measure memory with text excluded.
    public init(calls: Int, eventsPerCall: Int, contentBytes: Int = 60) {
        self.calls = calls
        self.eventsPerCall = eventsPerCall
        let syllables = Array("가나다라마바사아자차카타파하")
        var content = ""
        var index = 0
        while content.utf8.count + 3 <= contentBytes {
            content.append(syllables[index % syllables.count])
            index += 1
        }
        let start: Int64 = 1_775_980_200_000
        var events: [[UInt8]] = []
        events.reserveCapacity(calls * eventsPerCall)
        for round in 0..<eventsPerCall {
            for call in 0..<calls {
                let time = start + Int64(round * calls + call)
                let role = round % 2 == 0 ? "agent" : "user"
                let body = #"{"event":"mid_call","mid_call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"bench-\#(call)-6b0f1f08-1c2b-4f0e-9c3a","timestamp":\#(time),"event_type":"call_message","event_data":{"role":"\#(role)","content":"\#(content)"}}}"#
                events.append(Array(body.utf8))
            }
        }
        self.events = events
    }

    /// Complete calls one after another in time: 20 `mid_call` messages (Korean and English) and a
    /// `call_ended` each, 30 s apart, so that records come out all along; then a tick that moves
    /// stream time past every wait. Each element is the call id (`nil` for the tick) and the body.
    public static func completedCalls(_ calls: Int) -> [(callID: String?, body: [UInt8])] {
        let start: Int64 = 1_775_980_200_000
        let content = "주문 상태를 확인하고 싶습니다. Where is my order?"
        var events: [(callID: String?, body: [UInt8])] = []
        events.reserveCapacity(calls * 21 + 1)
        for call in 0..<calls {
            let id = "bench-\(call)-6b0f1f08-1c2b-4f0e-9c3a"
            let callStart = start + Int64(call) * 30_000
            for event in 0..<20 {
                let role = event % 2 == 0 ? "agent" : "user"
                let body = #"{"event":"mid_call","mid_call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"\#(id)","timestamp":\#(callStart + Int64(event) * 1000),"event_type":"call_message","event_data":{"role":"\#(role)","content":"\#(content)"}}}"#
                events.append((id, Array(body.utf8)))
            }
            let ended = #"{"event":"call_ended","call":{"agent_id":"a1f4c8d2-3e5b-4a7c-9d8e-2b1f6c4a9d3e","call_id":"\#(id)","call_type":"inbound","start_timestamp":\#(callStart),"end_timestamp":\#(callStart + 25_000),"disconnection_reason":"user_hangup"}}"#
            events.append((id, Array(ended.utf8)))
        }
        events.append((nil, Tick.encode(atMs: start + Int64(calls + 10) * 30_000)))
        return events
    }

    /// Feeds every event, at offsets from 0, into a new assembler and returns it.
    public func run(configuration: AssemblerConfiguration = AssemblerConfiguration()) -> CallAssembler {
        var assembler = CallAssembler(topic: "bench", partition: 0, configuration: configuration)
        var offset: Int64 = 0
        for event in events {
            let actions = assembler.receive(event, offset: offset)
            precondition(actions.isEmpty, "the workload keeps every call open")
            offset += 1
        }
        return assembler
    }
}
