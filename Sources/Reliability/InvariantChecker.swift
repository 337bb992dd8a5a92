import CallEvents
import Crypto

/// Checks a run's promises: every acknowledged webhook is in the raw topic and in its call's latest
/// record (or, when it cannot be decoded, in the dead-letter topic); records repeated under the same
/// (call_id, revision) are byte-identical; a new revision only follows a new event. Pure: no I/O.
///
/// An acknowledged event is *covered* by the latest record of its call when that record exists, counts
/// at least as many distinct events (`events.received - events.duplicates`) as the call has distinct
/// acknowledged bodies, and reflects the event itself:
/// - `call_message`: its `(role, content, at_ms)` is in `messages` (unless `sensitive_data_redacted`);
/// - `flow_transition`: its `(from_node_id, to_node_id, at_ms)` is in `flow`;
/// - `call_ended`: `status` is `completed` and `ended_at_ms` is the event's end (when it has one);
/// - `call_analyzed`: `analysis` or `cost` is present when the event carries either;
/// - any other event: by the count only.
public struct InvariantChecker: Sendable {
    public init() {}

    public func check(
        acknowledged: [AcknowledgedWebhook], rawEvents: [TopicMessage], records: [TopicMessage], deadLetters: [TopicMessage],
        bodyHashHeader: String = "body-sha256"
    ) -> InvariantReport {
        var report = InvariantReport()
        report.acknowledgedWebhooks = acknowledged.count
        report.records = records.count
        report.deadLetters = deadLetters.count

        var rawByHash: [String: [UInt8]] = [:]
        for message in rawEvents {
            rawByHash[message.headers[bodyHashHeader] ?? Self.sha256(message.value)] = message.value
        }
        let deadLetterHashes = Set(deadLetters.map { Self.sha256($0.value) })
        let latest = checkRecords(records, into: &report)

        var byCall: [String: [AcknowledgedWebhook]] = [:]
        for webhook in acknowledged { byCall[webhook.callID, default: []].append(webhook) }
        report.acknowledgedCalls = byCall.count
        for (callID, webhooks) in byCall.sorted(by: { $0.key < $1.key }) {
            var distinct = Set<String>()
            var decoded: [(AcknowledgedWebhook, CallEvent)] = []
            for webhook in webhooks where distinct.insert(webhook.bodySHA256).inserted {
                guard let raw = rawByHash[webhook.bodySHA256] else {
                    report.violations.append(.init(.acknowledgedButNotPublished, callID: callID, "\(webhook.event) \(webhook.bodySHA256)"))
                    distinct.remove(webhook.bodySHA256)
                    continue
                }
                guard let event = try? CallEvent(decoding: raw) else {
                    if !deadLetterHashes.contains(webhook.bodySHA256) {
                        report.violations.append(.init(.poisonNotDeadLettered, callID: callID, "\(webhook.event) \(webhook.bodySHA256)"))
                    }
                    distinct.remove(webhook.bodySHA256)
                    continue
                }
                decoded.append((webhook, event))
            }
            guard !decoded.isEmpty else { continue }
            guard let record = latest[callID] else {
                report.violations.append(.init(.noRecord, callID: callID, "\(decoded.count) acknowledged events, no record"))
                continue
            }
            if record.distinctEvents < Int64(distinct.count) {
                report.violations.append(.init(
                    .eventMissingFromRecord, callID: callID,
                    "revision \(record.revision) counts \(record.distinctEvents) distinct events, \(distinct.count) were acknowledged"
                ))
            }
            for (webhook, event) in decoded {
                if let problem = Self.uncovered(event, by: record) {
                    report.violations.append(.init(.eventMissingFromRecord, callID: callID, "\(webhook.event) \(webhook.bodySHA256): \(problem)"))
                }
            }
        }
        return report
    }

    /// Differing duplicates and unexplained revisions; returns each call's latest record.
    private func checkRecords(_ records: [TopicMessage], into report: inout InvariantReport) -> [String: RecordSummary] {
        var first: [String: [UInt8]] = [:]
        var revisions: [String: [Int64: RecordSummary]] = [:]
        for message in records {
            guard let summary = RecordSummary(message.value) else {
                report.violations.append(.init(.differingDuplicate, callID: "?", "an unreadable record at \(message.partition):\(message.offset)"))
                continue
            }
            let key = "\(summary.callID)#\(summary.revision)"
            if let earlier = first[key] {
                report.repeatedRecords += 1
                if earlier != message.value {
                    report.violations.append(.init(.differingDuplicate, callID: summary.callID, "revision \(summary.revision) at \(message.partition):\(message.offset)"))
                }
            } else {
                first[key] = message.value
                revisions[summary.callID, default: [:]][summary.revision] = summary
            }
        }
        var latest: [String: RecordSummary] = [:]
        for (callID, byRevision) in revisions {
            let ordered = byRevision.values.sorted { $0.revision < $1.revision }
            for (index, summary) in ordered.enumerated() {
                if summary.revision != Int64(index + 1) {
                    report.violations.append(.init(.unexplainedRevision, callID: callID, "revisions \(ordered.map(\.revision)) do not run 1…n"))
                    break
                }
                if index > 0, summary.distinctEvents <= ordered[index - 1].distinctEvents {
                    report.violations.append(.init(
                        .unexplainedRevision, callID: callID,
                        "revision \(summary.revision) has \(summary.distinctEvents) distinct events, no more than revision \(summary.revision - 1)"
                    ))
                }
            }
            latest[callID] = ordered.last
        }
        return latest
    }

    /// Why `record` does not reflect `event`, or `nil` when it does.
    static func uncovered(_ event: CallEvent, by record: RecordSummary) -> String? {
        switch event.body {
        case .midCall(let midCall):
            switch midCall.data {
            case .callMessage(let message) where !record.sensitiveDataRedacted:
                let step = RecordSummary.Step(first: message.role, second: message.content, atMs: midCall.atMs)
                return record.messages.contains(step) ? nil : "message at \(midCall.atMs.map(String.init) ?? "?") not in messages"
            case .flowTransition(let transition):
                let step = RecordSummary.Step(first: transition.fromNodeID, second: transition.toNodeID, atMs: midCall.atMs)
                return record.flow.contains(step) ? nil : "transition at \(midCall.atMs.map(String.init) ?? "?") not in flow"
            default:
                return nil
            }
        case .callEnded(let call):
            if record.status != "completed" { return "status \(record.status), not completed" }
            if let end = call.endMs, record.endedAtMs != end { return "ended_at_ms \(record.endedAtMs.map(String.init) ?? "null"), not \(end)" }
            return nil
        case .callAnalyzed(let call):
            return (call.analysis != nil || call.cost != nil) && !record.hasAnalysisOrCost ? "no analysis or cost" : nil
        default:
            return nil
        }
    }

    /// Lower-case hex SHA-256, as in the intake's `body-sha256` header.
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
