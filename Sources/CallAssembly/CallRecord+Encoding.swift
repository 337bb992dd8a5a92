public import CallEvents

extension CallRecord {
    /// The record as UTF-8 JSON, exactly as `CALL_RECORD.md` lists it: keys in the contract's
    /// order, absent values as `null` (`[]`/`{}` for collections), no whitespace, text verbatim
    /// (only `"`, `\` and control characters escaped). Keys of as-sent objects
    /// (`dynamic_variables`, `metadata`, `custom` and nested values) are sorted by their UTF-8 bytes,
    /// so a record never depends on which of two equal deliveries arrived first.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1024 + estimatedTextBytes)
        encode(into: &writer)
        return writer.takeBytes()
    }

    /// Writes the record into `writer`. Each fixed run of punctuation and keys is one fragment:
    /// a record is hundreds of pieces, and every piece written costs a call.
    public func encode(into writer: inout JSONWriter) {
        writer.raw(#"{"schema_version":"#); writer.int(Int64(Self.schemaVersion))
        writer.raw(#","call_id":"#); writer.string(callID)
        writer.raw(#","revision":"#); writer.int(Int64(revision))
        writer.raw(#","status":"#); writer.string(status.rawValue)
        writer.raw(#","webhook_version":"#); writer.string(webhookVersion.rawValue)
        writer.raw(#","agent_id":"#); writer.string(agentID)
        writer.raw(#","agent_version":"#); writer.int(agentVersion)
        writer.raw(#","call_type":"#); writer.string(callType)
        writer.raw(#","from_number":"#); writer.string(fromNumber)
        writer.raw(#","to_number":"#); writer.string(toNumber)
        writer.raw(#","started_at_ms":"#); writer.int(startedAtMs)
        writer.raw(#","ended_at_ms":"#); writer.int(endedAtMs)
        writer.raw(#","duration_ms":"#); writer.int(durationMs)
        writer.raw(#","disconnection_reason":"#); writer.string(disconnectionReason)
        writer.raw(#","recording_url":"#); writer.string(recordingURL)
        writer.raw(#","dynamic_variables":"#); writer.object(dynamicVariables)
        writer.raw(#","metadata":"#); writer.object(metadata)
        writer.raw(#","transcript":["#)
        for (index, turn) in transcript.enumerated() {
            writer.raw(index == 0 ? #"{"role":"# : #",{"role":"#); writer.string(turn.role)
            writer.raw(#","content":"#); writer.string(turn.content)
            writer.raw("}")
        }
        writer.raw(#"],"messages":["#)
        for (index, message) in messages.enumerated() {
            writer.raw(index == 0 ? #"{"role":"# : #",{"role":"#); writer.string(message.role)
            writer.raw(#","content":"#); writer.string(message.content)
            writer.raw(#","at_ms":"#); writer.int(message.atMs)
            writer.raw("}")
        }
        writer.raw(#"],"flow":["#)
        for (index, step) in flow.enumerated() {
            writer.raw(index == 0 ? #"{"from_node_id":"# : #",{"from_node_id":"#); writer.string(step.fromNodeID)
            writer.raw(#","to_node_id":"#); writer.string(step.toNodeID)
            writer.raw(#","from_node_name":"#); writer.string(step.fromNodeName)
            writer.raw(#","to_node_name":"#); writer.string(step.toNodeName)
            writer.raw(#","at_ms":"#); writer.int(step.atMs)
            writer.raw("}")
        }
        writer.raw(#"],"cost":"#)
        if let cost {
            writer.raw(#"{"total_credits_used":"#); Self.write(cost.totalCreditsUsed, &writer)
            writer.raw(#","duration_seconds":"#); Self.write(cost.durationSeconds, &writer)
            writer.raw("}")
        } else {
            writer.null()
        }
        writer.raw(#","analysis":"#)
        if let analysis {
            writer.raw(#"{"summary":"#); writer.string(analysis.summary)
            writer.raw(#","user_sentiment":"#); writer.string(analysis.userSentiment)
            writer.raw(#","custom":"#); writer.object(analysis.custom)
            writer.raw("}")
        } else {
            writer.null()
        }
        writer.raw(#","sensitive_data_redacted":"#); writer.bool(sensitiveDataRedacted)
        writer.raw(#","events":{"received":"#); writer.int(Int64(events.received))
        writer.raw(#","duplicates":"#); writer.int(Int64(events.duplicates))
        writer.raw(#","out_of_order":"#); writer.int(Int64(events.outOfOrder))
        writer.raw(#"},"source":{"topic":"#); writer.string(source.topic)
        writer.raw(#","partition":"#); writer.int(Int64(source.partition))
        writer.raw(#","first_offset":"#); writer.int(source.firstOffset)
        writer.raw(#","last_offset":"#); writer.int(source.lastOffset)
        writer.raw("}}")
    }

    private static func write(_ number: JSONNumber?, _ writer: inout JSONWriter) {
        if let number { writer.number(number) } else { writer.null() }
    }

    /// A capacity hint so that large transcripts are written without regrowing the buffer often.
    private var estimatedTextBytes: Int {
        var total = 0
        // Per entry, its text and the JSON around it (`{"role":"agent","content":"…","at_ms":1775980200000},`
        // is 52 bytes besides the text): short, every record regrew its buffer once at its end.
        for turn in transcript { total += (turn.content?.utf8.count ?? 0) + 40 }
        for message in messages { total += (message.content?.utf8.count ?? 0) + 64 }
        return total + flow.count * 128
    }
}
