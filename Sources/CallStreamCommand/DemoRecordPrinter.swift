import CallEvents
import Foundation

/// Prints a call record for people: the headline fields, then the conversation.
enum DemoRecordPrinter {
    static func describe(_ bytes: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return String(decoding: bytes, as: UTF8.self)
        }
        func text(_ key: String) -> String { (object[key] as? String) ?? "–" }
        var lines = [
            "",
            "━━ \(text("call_id")) · rev \(object["revision"] ?? "?") · \(text("status")) · \(text("webhook_version"))",
            "   \(text("call_type")) \(text("from_number")) → \(text("to_number")) · \(((object["duration_ms"] as? Int).map { "\($0 / 1000) s" }) ?? "–") · \(text("disconnection_reason"))",
        ]
        if object["sensitive_data_redacted"] as? Bool == true { lines.append("   (sensitive data redacted at the caller's request)") }
        for turn in (object["transcript"] as? [[String: Any]] ?? []).prefix(8) {
            lines.append("   \((turn["role"] as? String ?? "?").padding(toLength: 6, withPad: " ", startingAt: 0)) \(turn["content"] as? String ?? "")")
        }
        if let analysis = object["analysis"] as? [String: Any], let summary = analysis["summary"] as? String {
            lines.append("   summary: \(summary)")
        }
        if let events = object["events"] as? [String: Any] {
            lines.append("   events: \(events["received"] ?? 0) received, \(events["duplicates"] ?? 0) duplicates, \(events["out_of_order"] ?? 0) out of order")
        }
        return lines.joined(separator: "\n")
    }
}
