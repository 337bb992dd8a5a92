public import CallEvents

extension CallRecord {
    /// The record as UTF-8 JSON, exactly as `CALL_RECORD.md` lists it: keys in the contract's
    /// order, absent values as `null` (`[]`/`{}` for collections), no whitespace, text verbatim
    /// (only `"`, `\` and control characters escaped). Keys of as-sent objects
    /// (`dynamic_variables`, `metadata`, `custom` and nested values) are sorted by their UTF-8 bytes,
    /// so a record never depends on which of two equal deliveries arrived first.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 512 + estimatedTextBytes)
        encode(into: &writer)
        return writer.bytes
    }

    /// Writes the record into `writer`.
    public func encode(into writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("schema_version"); writer.int(Int64(Self.schemaVersion)); writer.raw(",")
        writer.key("call_id"); writer.string(callID); writer.raw(",")
        writer.key("revision"); writer.int(Int64(revision)); writer.raw(",")
        writer.key("status"); writer.string(status.rawValue); writer.raw(",")
        writer.key("webhook_version"); writer.string(webhookVersion.rawValue); writer.raw(",")
        writer.key("agent_id"); writer.string(agentID); writer.raw(",")
        writer.key("agent_version"); writer.int(agentVersion); writer.raw(",")
        writer.key("call_type"); writer.string(callType); writer.raw(",")
        writer.key("from_number"); writer.string(fromNumber); writer.raw(",")
        writer.key("to_number"); writer.string(toNumber); writer.raw(",")
        writer.key("started_at_ms"); writer.int(startedAtMs); writer.raw(",")
        writer.key("ended_at_ms"); writer.int(endedAtMs); writer.raw(",")
        writer.key("duration_ms"); writer.int(durationMs); writer.raw(",")
        writer.key("disconnection_reason"); writer.string(disconnectionReason); writer.raw(",")
        writer.key("recording_url"); writer.string(recordingURL); writer.raw(",")
        writer.key("dynamic_variables"); writer.object(dynamicVariables); writer.raw(",")
        writer.key("metadata"); writer.object(metadata); writer.raw(",")
        writer.key("transcript"); writer.raw("[")
        for (index, turn) in transcript.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{"); writer.key("role"); writer.string(turn.role); writer.raw(",")
            writer.key("content"); writer.string(turn.content); writer.raw("}")
        }
        writer.raw("],")
        writer.key("messages"); writer.raw("[")
        for (index, message) in messages.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{"); writer.key("role"); writer.string(message.role); writer.raw(",")
            writer.key("content"); writer.string(message.content); writer.raw(",")
            writer.key("at_ms"); writer.int(message.atMs); writer.raw("}")
        }
        writer.raw("],")
        writer.key("flow"); writer.raw("[")
        for (index, step) in flow.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{"); writer.key("from_node_id"); writer.string(step.fromNodeID); writer.raw(",")
            writer.key("to_node_id"); writer.string(step.toNodeID); writer.raw(",")
            writer.key("from_node_name"); writer.string(step.fromNodeName); writer.raw(",")
            writer.key("to_node_name"); writer.string(step.toNodeName); writer.raw(",")
            writer.key("at_ms"); writer.int(step.atMs); writer.raw("}")
        }
        writer.raw("],")
        writer.key("cost")
        if let cost {
            writer.raw("{"); writer.key("total_credits_used"); Self.write(cost.totalCreditsUsed, &writer); writer.raw(",")
            writer.key("duration_seconds"); Self.write(cost.durationSeconds, &writer); writer.raw("}")
        } else {
            writer.null()
        }
        writer.raw(",")
        writer.key("analysis")
        if let analysis {
            writer.raw("{"); writer.key("summary"); writer.string(analysis.summary); writer.raw(",")
            writer.key("user_sentiment"); writer.string(analysis.userSentiment); writer.raw(",")
            writer.key("custom"); writer.object(analysis.custom); writer.raw("}")
        } else {
            writer.null()
        }
        writer.raw(",")
        writer.key("sensitive_data_redacted"); writer.bool(sensitiveDataRedacted); writer.raw(",")
        writer.key("events"); writer.raw("{")
        writer.key("received"); writer.int(Int64(events.received)); writer.raw(",")
        writer.key("duplicates"); writer.int(Int64(events.duplicates)); writer.raw(",")
        writer.key("out_of_order"); writer.int(Int64(events.outOfOrder)); writer.raw("},")
        writer.key("source"); writer.raw("{")
        writer.key("topic"); writer.string(source.topic); writer.raw(",")
        writer.key("partition"); writer.int(Int64(source.partition)); writer.raw(",")
        writer.key("first_offset"); writer.int(source.firstOffset); writer.raw(",")
        writer.key("last_offset"); writer.int(source.lastOffset); writer.raw("}")
        writer.raw("}")
    }

    private static func write(_ number: JSONNumber?, _ writer: inout JSONWriter) {
        if let number { writer.number(number) } else { writer.null() }
    }

    /// A capacity hint so that large transcripts are written without regrowing the buffer often.
    private var estimatedTextBytes: Int {
        var total = 0
        for turn in transcript { total += (turn.content?.utf8.count ?? 0) + 32 }
        for message in messages { total += (message.content?.utf8.count ?? 0) + 48 }
        return total + flow.count * 128
    }
}
