import CallEvents
import Foundation
import Kafka

/// Synthetic calls made from the sample calls (`config/samples/*.jsonl`): each gets its own
/// `call_id` and start time, and is padded with more `mid_call` events (copies of its own, moved in
/// time) up to about `eventsPerCall`; deliveries are shuffled within a bound smaller than the grace
/// period, and some are repeated.
struct CallLoad {
    /// Every delivery, in the order to produce.
    var deliveries: [(callID: String, raw: [UInt8])] = []
    var callIDs: [String] = []

    init(calls: Int, eventsPerCall: Int = 20, startMs: Int64, spacingMs: Int64 = 50, jitterMs: UInt64 = 2_000,
         duplicateEvery: Int = 10, seed: UInt64 = 1) throws {
        var random = SplitMix64(seed: seed)
        let samples = try Self.samples()
        var timed: [(at: Int64, order: UInt64, callID: String, raw: [UInt8])] = []
        for index in 0..<calls {
            let sample = samples[index % samples.count]
            let callID = "load-\(index)-\(String(random.next(), radix: 16))"
            let start = try sample.compactMap { try CallEvent(decoding: $0).eventTimeMs }.min() ?? 0
            let shift = startMs + Int64(index) * spacingMs - start
            var events = try sample.map { try Self.rewrite($0, callID: callID, shift: shift) }
            let midCalls = events.filter { (try? CallEvent(decoding: $0).name) == .midCall }
            var copy = 1
            while events.count < eventsPerCall, !midCalls.isEmpty {
                events.append(try Self.rewrite(midCalls[copy % midCalls.count], callID: callID, shift: Int64(copy)))
                copy += 1
            }
            for raw in events {
                let time = (try CallEvent(decoding: raw).eventTimeMs) ?? startMs + Int64(index) * spacingMs
                timed.append((time + Int64(random.below(jitterMs)), random.next(), callID, raw))
                if random.below(UInt64(duplicateEvery)) == 0 {
                    timed.append((time + Int64(random.below(jitterMs)), random.next(), callID, raw))
                }
            }
            callIDs.append(callID)
        }
        timed.sort { ($0.at, $0.order) < ($1.at, $1.order) }
        deliveries = timed.map { ($0.callID, $0.raw) }
    }

    /// The deliveries as messages the way the intake publishes them (key = call_id).
    func messages(topic: String) -> [KafkaProducerMessage] {
        deliveries.map { KafkaProducerMessage(topic: topic, key: Array($0.callID.utf8), value: $0.raw) }
    }

    static func samples() throws -> [[[UInt8]]] {
        let directory = packageRoot.appendingPathComponent("config/samples")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        return try files.map { file in
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n").filter { !$0.isEmpty }.map { Array($0.utf8) }
        }
    }

    /// Replaces every `call_id` string and moves every epoch-ms time (2020–2030) by `shift`.
    static func rewrite(_ raw: [UInt8], callID: String, shift: Int64) throws -> [UInt8] {
        func walk(_ value: JSONValue, key: String?) -> JSONValue {
            switch value {
            case .string where key == "call_id":
                return .string(callID)
            case .number(let number):
                if let time = number.int64Value, time > 1_577_836_800_000, time < 1_893_456_000_000 {
                    return .number(JSONNumber(time + shift))
                }
                return value
            case .array(let elements):
                return .array(elements.map { walk($0, key: nil) })
            case .object(let object):
                return .object(JSONObject(members: object.members.map { .init(key: $0.key, value: walk($0.value, key: $0.key)) }))
            default:
                return value
            }
        }
        var writer = JSONWriter()
        writer.value(walk(try JSONValue(parsing: raw), key: nil))
        return writer.bytes
    }
}

/// A small deterministic generator (the same as the assembler tests').
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: UInt64) -> UInt64 { bound == 0 ? 0 : next() % bound }
}
