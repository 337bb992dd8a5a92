import CallEvents
import Testing

@Suite("Format v1 decoding")
struct FormatV1DecodingTests {
    static let started = """
    {"event":"call_started","call":{"agent_id":"a1","call_id":"c1","call_type":"inbound","call_from":"+821012345678","call_to":"+827012345678","dynamic_variables":{"customer_name":"김철수"},"metadata":{"campaign":"봄_프로모션"},"start_timestamp":1775980200000,"opt_out_sensitive_data_storage":false}}
    """

    @Test func callStartedMapsEveryField() throws {
        let event = try decode(Self.started)
        #expect(event.name == .callStarted)
        #expect(event.webhookVersion == .v1)
        #expect(event.callID == "c1")
        #expect(event.eventTimeMs == 1_775_980_200_000)
        guard case .callStarted(let call) = event.body else { Issue.record("not call_started"); return }
        #expect(call.agentID == "a1")
        #expect(call.agentVersion == nil)
        #expect(call.callType == "inbound")
        #expect(call.fromNumber == "+821012345678")
        #expect(call.toNumber == "+827012345678")
        #expect(call.dynamicVariables == ["customer_name": .string("김철수")])
        #expect(call.metadata == ["campaign": .string("봄_프로모션")])
        #expect(call.startMs == 1_775_980_200_000)
        #expect(call.optOutSensitiveDataStorage == false)
        #expect(call.unknownFields.isEmpty)
        #expect(event.raw == bytes(Self.started))
    }

    @Test func flowTransitionMapsEveryField() throws {
        let event = try decode("""
        {"event":"mid_call","mid_call":{"agent_id":"a1","call_id":"c1","timestamp":1775980380000,"event_type":"flow_transition","event_data":{"from_node_id":"node_1","to_node_id":"node_2","from_node_name":"인사","to_node_name":"주문 조회"}}}
        """)
        guard case .midCall(let midCall) = event.body else { Issue.record("not mid_call"); return }
        #expect(midCall.callID == "c1")
        #expect(midCall.agentID == "a1")
        #expect(midCall.atMs == 1_775_980_380_000)
        #expect(event.eventTimeMs == 1_775_980_380_000)
        #expect(midCall.data == .flowTransition(FlowTransition(fromNodeID: "node_1", toNodeID: "node_2", fromNodeName: "인사", toNodeName: "주문 조회")))
        #expect(midCall.data.eventType == "flow_transition")
    }

    @Test func callMessageMapsEveryField() throws {
        let event = try decode("""
        {"event":"mid_call","mid_call":{"agent_id":"a1","call_id":"c1","timestamp":1775980380000,"event_type":"call_message","event_data":{"role":"user","content":"주문 번호는 ORD-2026-0042입니다."}}}
        """)
        guard case .midCall(let midCall) = event.body else { Issue.record("not mid_call"); return }
        #expect(midCall.data == .callMessage(CallMessage(role: "user", content: "주문 번호는 ORD-2026-0042입니다.")))
    }

    @Test func unknownMidCallTypeIsKeptAsData() throws {
        let event = try decode("""
        {"event":"mid_call","mid_call":{"call_id":"c1","timestamp":5,"event_type":"tool_call","event_data":{"name":"crm_lookup","args":[1,2]}}}
        """)
        guard case .midCall(let midCall) = event.body else { Issue.record("not mid_call"); return }
        #expect(midCall.data == .other(eventType: "tool_call", data: .object(["name": .string("crm_lookup"), "args": .array([.number(JSONNumber(1)), .number(JSONNumber(2))])])))
    }

    @Test func callEndedMapsEveryField() throws {
        let event = try decode("""
        {"event":"call_ended","call":{"agent_id":"a1","call_id":"c1","call_type":"inbound","call_from":"+8210","call_to":"+8270","dynamic_variables":{},"metadata":{},"start_timestamp":1775980200000,"end_timestamp":1775980542000,"duration_ms":342000,"disconnection_reason":"agent_hangup","recording_url":"https://www.tryvox.co/api/store/download/x.wav","transcript":[{"role":"agent","content":"안녕하세요"},{"role":"user","content":"네 😊"}],"call_cost":{"total_credits_used":120,"duration_seconds":342},"call_analysis":{"summary":"요약","user_sentiment":"positive","custom_analysis_data":[{"name":"inquiry_type","value":"배송 상태 문의"},{"name":"resolved","value":true},{"name":"score","value":4.5}]},"opt_out_sensitive_data_storage":true}}
        """)
        guard case .callEnded(let call) = event.body else { Issue.record("not call_ended"); return }
        #expect(event.eventTimeMs == 1_775_980_542_000)
        #expect(call.endMs == 1_775_980_542_000)
        #expect(call.durationMs == 342_000)
        #expect(call.disconnectionReason == "agent_hangup")
        #expect(call.recordingURL == "https://www.tryvox.co/api/store/download/x.wav")
        #expect(call.transcript == [TranscriptEntry(role: "agent", content: "안녕하세요"), TranscriptEntry(role: "user", content: "네 😊")])
        #expect(call.cost?.totalCreditsUsed?.literal == "120")
        #expect(call.cost?.durationSeconds?.int64Value == 342)
        #expect(call.analysis?.summary == "요약")
        #expect(call.analysis?.userSentiment == "positive")
        #expect(call.analysis?.custom.members.map(\.key) == ["inquiry_type", "resolved", "score"])
        #expect(call.analysis?.custom["resolved"] == .bool(true))
        #expect(call.analysis?.custom["score"]?.numberValue?.literal == "4.5")
        #expect(call.optOutSensitiveDataStorage == true)
    }

    @Test(arguments: ["user_hangup", "dial_declined", "daily_call_limit_reached", "brand_new_reason_2027", "정전"])
    func disconnectionReasonIsKeptAsSent(reason: String) throws {
        let event = try decode(#"{"event":"call_ended","call":{"call_id":"c1","end_timestamp":2,"disconnection_reason":"\#(reason)"}}"#)
        guard case .callEnded(let call) = event.body else { Issue.record("not call_ended"); return }
        #expect(call.disconnectionReason == reason)
    }

    @Test func unknownFieldsAreKeptAtEveryLevel() throws {
        let event = try decode("""
        {"event":"call_started","trace":{"id":7},"call":{"call_id":"c1","start_timestamp":1,"new_field":[1,"x"],"agent":{"agent_id":"a","team":"b"}}}
        """)
        guard case .callStarted(let call) = event.body else { Issue.record("not call_started"); return }
        #expect(event.unknownFields == ["trace": .object(["id": .number(JSONNumber(7))])])
        #expect(call.unknownFields["new_field"] == .array([.number(JSONNumber(1)), .string("x")]))
        #expect(call.unknownFields["agent"] == .object(["team": .string("b")]))
        #expect(call.agentID == "a")
    }

    @Test func customAnalysisDataAsObjectIsAccepted() throws {
        let event = try decode(#"{"event":"call_ended","call":{"call_id":"c1","call_analysis":{"custom_analysis_data":{"a":1,"b":"x"}}}}"#)
        guard case .callEnded(let call) = event.body else { Issue.record("not call_ended"); return }
        #expect(call.analysis?.custom == ["a": .number(JSONNumber(1)), "b": .string("x")])
    }

    @Test func nullsReadAsAbsent() throws {
        let event = try decode(#"{"event":"call_ended","call":{"call_id":"c1","recording_url":null,"transcript":null,"end_timestamp":null,"call_cost":null}}"#)
        guard case .callEnded(let call) = event.body else { Issue.record("not call_ended"); return }
        #expect(call.recordingURL == nil && call.transcript == nil && call.endMs == nil && call.cost == nil)
    }

    @Test func timestampsAcceptIntegralFloatsAndDigitStrings() throws {
        let float = try decode(#"{"event":"mid_call","mid_call":{"call_id":"c1","timestamp":1.7759802e12,"event_type":"x"}}"#)
        #expect(float.eventTimeMs == 1_775_980_200_000)
        let string = try decode(#"{"event":"mid_call","mid_call":{"call_id":"c1","timestamp":"1775980200000","event_type":"x"}}"#)
        #expect(string.eventTimeMs == 1_775_980_200_000)
    }
}
