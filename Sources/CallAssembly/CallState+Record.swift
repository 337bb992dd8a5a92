import CallEvents

extension CallState {
    /// The call's record as of now (see `CALL_RECORD.md` for every rule applied here).
    public func record(revision: Int, topic: String, partition: Int32) -> CallRecord {
        var record = CallRecord(
            callID: callID, revision: revision, status: hasEnded ? .completed : .incomplete,
            webhookVersion: webhookVersion, events: eventCounts,
            source: .init(topic: topic, partition: partition, firstOffset: firstOffset, lastOffset: lastOffset))
        record.agentID = latest(\.agentID) ?? midAgentID
        record.agentVersion = latest(\.agentVersion) ?? midAgentVersion
        record.callType = latest(\.callType)
        record.fromNumber = latest(\.fromNumber)
        record.toNumber = latest(\.toNumber)
        record.startedAtMs = latest(\.startMs)
        record.endedAtMs = latest(\.endMs)
        if let duration = latest(\.durationMs) {
            record.durationMs = duration
        } else if let start = record.startedAtMs, let end = record.endedAtMs {
            record.durationMs = end.subtractingReportingOverflow(start).overflow ? nil : end - start
        }
        record.disconnectionReason = latest(\.disconnectionReason)
        record.recordingURL = latest(\.recordingURL)
        record.dynamicVariables = latest(\.dynamicVariables) ?? JSONObject()
        record.metadata = latest(\.metadata) ?? JSONObject()
        record.messages.reserveCapacity(entries.count)
        // By index: a `for entry in entries` loop copies each entry, retaining all it holds.
        for index in entries.indices {
            switch entries[index].data {
            case .callMessage(let message):
                record.messages.append(.init(role: message.role, content: message.content, atMs: entries[index].atMs))
            case .flowTransition(let step):
                record.flow.append(.init(fromNodeID: step.fromNodeID, toNodeID: step.toNodeID,
                                         fromNodeName: step.fromNodeName, toNodeName: step.toNodeName, atMs: entries[index].atMs))
            case .other:
                break
            }
        }
        if let transcript = latest(\.transcript) {
            record.transcript = transcript.map { CallRecord.Turn(role: $0.role, content: $0.content) }
        } else {
            record.transcript = record.messages.map { CallRecord.Turn(role: $0.role, content: $0.content) }
        }
        if let cost = latest(\.cost) {
            record.cost = .init(totalCreditsUsed: cost.totalCreditsUsed, durationSeconds: cost.durationSeconds)
        }
        if let analysis = latest(\.analysis) {
            record.analysis = .init(summary: analysis.summary, userSentiment: analysis.userSentiment, custom: analysis.custom)
        }
        if optOut {
            // Set by any event: once the caller opted out, no copy of the text may be kept.
            record.sensitiveDataRedacted = true
            record.transcript = []
            record.messages = []
            record.recordingURL = nil
            record.dynamicVariables = JSONObject()
        }
        return record
    }
}
