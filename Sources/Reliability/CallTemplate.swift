public import CallEvents
import Foundation

/// One sample call (`config/samples/*.jsonl`) the load generator copies: its events in order.
public struct CallTemplate: Sendable {
    public var name: String
    public var events: [[UInt8]]
    public var isKorean: Bool
    public var webhookVersion: WebhookVersion
    /// The earliest event time, epoch ms.
    var startMs: Int64

    /// Every `*.jsonl` file of `folder`, sorted by name.
    public static func load(from folder: String) throws(ReliabilityError) -> [CallTemplate] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        guard !names.isEmpty else { throw ReliabilityError(.samples, "no *.jsonl sample calls in \(folder)") }
        var templates: [CallTemplate] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { throw ReliabilityError(.samples, "cannot read \(name)") }
            let events = data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Array($0) }
            guard let decoded = try? events.map({ try CallEvent(decoding: $0) }), let first = decoded.first else {
                throw ReliabilityError(.samples, "\(name) holds an event that does not decode")
            }
            // Hangul syllables (U+AC00…U+D7A3) start with 0xEA…0xED in UTF-8.
            let korean = events.contains { $0.contains { $0 >= 0xEA && $0 <= 0xED } }
            templates.append(CallTemplate(
                name: name, events: events, isKorean: korean, webhookVersion: first.webhookVersion,
                startMs: decoded.compactMap(\.eventTimeMs).min() ?? 0
            ))
        }
        return templates
    }

    /// The events of one copy of this call: its own `call_id`, times moved so that the call starts at
    /// `startMs` and compressed 1000 to 1 (a minute of call in 60 ms, so that calls end about as
    /// fast as they are posted), padded with copies of its `mid_call` events (each 1 ms later than
    /// the last) up to `events`, and `transcriptBytes` more transcript text in `call_ended`.
    public func instantiate(callID: String, startMs: Int64, events target: Int, transcriptBytes: Int) -> [[UInt8]] {
        let retime: (Int64) -> Int64 = { startMs + ($0 - self.startMs) / 1000 }
        var result = events.map { Self.rewrite($0, callID: callID, retime: retime, transcriptBytes: transcriptBytes, korean: isKorean) }
        let midCalls = events.filter { (try? CallEvent(decoding: $0).name) == .midCall }
        let ending = result.firstIndex { (try? CallEvent(decoding: $0).name) == .callEnded } ?? result.count
        var copy = 1
        var padding: [[UInt8]] = []
        while result.count + padding.count < target, !midCalls.isEmpty {
            let shift = Int64(copy)
            padding.append(Self.rewrite(midCalls[copy % midCalls.count], callID: callID, retime: { retime($0) + shift }, transcriptBytes: 0, korean: isKorean))
            copy += 1
        }
        result.insert(contentsOf: padding, at: ending)
        return result
    }

    /// Replaces every `call_id` string, maps every epoch-ms time (2020–2030) through `retime`, and
    /// grows `call_ended`'s transcript by `transcriptBytes`.
    static func rewrite(_ raw: [UInt8], callID: String, retime: (Int64) -> Int64, transcriptBytes: Int, korean: Bool) -> [UInt8] {
        guard let parsed = try? JSONValue(parsing: raw) else { return raw }
        let isEnded = parsed.objectValue?["event"]?.stringValue == CallEventName.callEnded.rawValue
        func walk(_ value: JSONValue, key: String?) -> JSONValue {
            switch value {
            case .string where key == "call_id":
                return .string(callID)
            case .number(let number):
                if let time = number.int64Value, time > 1_577_836_800_000, time < 1_893_456_000_000 { return .number(JSONNumber(retime(time))) }
                return value
            case .array(let elements):
                return .array(elements.map { walk($0, key: nil) })
            case .object(let object):
                var members = object.members.map { JSONObject.Member(key: $0.key, value: walk($0.value, key: $0.key)) }
                if isEnded, key == "call", transcriptBytes > 0 {
                    let filler = JSONValue.object(["role": .string("agent"), "content": .string(Self.filler(bytes: transcriptBytes, korean: korean))])
                    if let index = members.firstIndex(where: { $0.key == "transcript" }), case .array(let entries) = members[index].value {
                        members[index].value = .array(entries + [filler])
                    } else {
                        members.append(.init(key: "transcript", value: .array([filler])))
                    }
                }
                return .object(JSONObject(members: members))
            default:
                return value
            }
        }
        var writer = JSONWriter(reservingCapacity: raw.count + transcriptBytes + 64)
        writer.value(walk(parsed, key: nil))
        return writer.takeBytes()
    }

    /// About `bytes` bytes of transcript text.
    static func filler(bytes: Int, korean: Bool) -> String {
        let sentence = korean ? "네, 예약 시간을 다시 확인해 드리겠습니다. " : "Sure, let me check that booking for you. "
        let count = max(1, bytes / sentence.utf8.count)
        return String(repeating: sentence, count: count)
    }
}
