import CallEvents
import Testing

@Suite("Format v2 decoding")
struct FormatV2DecodingTests {
    @Test func callStartedMapsV2Names() throws {
        let event = try decode("""
        {"webhook_version":"v2","event":"call_started","call":{"call_id":"c2","agent":{"agent_id":"a2","agent_version":7},"call_type":"inbound","from_number":"+8210","to_number":"+8202","dynamic_variables":{"고객명":"이영희"},"metadata":{"지점":"강남점"},"start_at":1776000000000,"call_status":"ongoing"}}
        """)
        #expect(event.webhookVersion == .v2)
        guard case .callStarted(let call) = event.body else { Issue.record("not call_started"); return }
        #expect(call.callID == "c2")
        #expect(call.agentID == "a2")
        #expect(call.agentVersion == 7)
        #expect(call.fromNumber == "+8210")
        #expect(call.toNumber == "+8202")
        #expect(call.startMs == 1_776_000_000_000)
        #expect(call.callStatus == "ongoing")
        #expect(call.unknownFields.isEmpty)
        #expect(event.eventTimeMs == 1_776_000_000_000)
    }

    @Test func midCallUsesOccurredAt() throws {
        let event = try decode("""
        {"webhook_version":"v2","event":"mid_call","mid_call":{"call_id":"c2","agent":{"agent_id":"a2","agent_version":7},"occurred_at":1776000002000,"event_type":"call_message","event_data":{"role":"agent","content":"예약 도와드릴까요? 🍣"}}}
        """)
        guard case .midCall(let midCall) = event.body else { Issue.record("not mid_call"); return }
        #expect(midCall.atMs == 1_776_000_002_000)
        #expect(midCall.agentVersion == 7)
        #expect(midCall.data == .callMessage(CallMessage(role: "agent", content: "예약 도와드릴까요? 🍣")))
    }

    @Test func callEndedAndCallAnalyzed() throws {
        let ended = try decode("""
        {"webhook_version":"v2","event":"call_ended","call":{"call_id":"c2","end_at":1776000020000,"start_at":1776000000000,"call_status":"ended","disconnection_reason":"silence_timeout"}}
        """)
        guard case .callEnded(let endedCall) = ended.body else { Issue.record("not call_ended"); return }
        #expect(endedCall.endMs == 1_776_000_020_000)
        #expect(endedCall.disconnectionReason == "silence_timeout")
        #expect(ended.eventTimeMs == 1_776_000_020_000)

        let analyzed = try decode("""
        {"webhook_version":"v2","event":"call_analyzed","call":{"call_id":"c2","duration_ms":20000,"occurred_at":1776000041000,"end_at":1776000020000,"call_cost":{"total_credits_used":9,"duration_seconds":20},"call_analysis":{"summary":"요약","user_sentiment":"neutral","custom_analysis_data":[{"name":"party_size","value":4}]}}}
        """)
        #expect(analyzed.name == .callAnalyzed)
        guard case .callAnalyzed(let call) = analyzed.body else { Issue.record("not call_analyzed"); return }
        #expect(call.durationMs == 20_000)
        #expect(call.occurredAtMs == 1_776_000_041_000)
        #expect(analyzed.eventTimeMs == 1_776_000_041_000)
        #expect(call.cost?.durationSeconds?.literal == "20")
        #expect(call.analysis?.custom["party_size"] == .number(JSONNumber(4)))
    }

    @Test func smsReceived() throws {
        let event = try decode("""
        {"webhook_version":"v2","event":"sms_received","sms":{"call_id":"c2","from_number":"+8210","to_number":"+8202","content":"네 확인했습니다 👍","occurred_at":1776000050000,"sms_id":"s1"}}
        """)
        guard case .smsReceived(let sms) = event.body else { Issue.record("not sms_received"); return }
        #expect(sms.callID == "c2")
        #expect(sms.content == "네 확인했습니다 👍")
        #expect(sms.occurredAtMs == 1_776_000_050_000)
        #expect(sms.unknownFields["sms_id"] == .string("s1"))
    }

    @Test func payloadUnderTheEventNameAndTopLevelCallID() throws {
        let event = try decode(#"{"webhook_version":"v2","event":"call_analyzed","call_id":"top","call_analyzed":{"duration_ms":5}}"#)
        #expect(event.callID == "top")
        #expect(event.unknownFields.isEmpty)
    }

    @Test func unknownVersionIsKeptAsSent() throws {
        let event = try decode(#"{"webhook_version":"v3","event":"call_started","call":{"call_id":"c"}}"#)
        #expect(event.webhookVersion.rawValue == "v3")
    }
}
