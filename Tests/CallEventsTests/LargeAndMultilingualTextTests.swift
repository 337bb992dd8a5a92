import CallEvents
import Testing

@Suite("Large and multilingual text")
struct LargeAndMultilingualTextTests {
    static let korean = "안녕하세요, 주문 번호는 ORD-2026-0042입니다 😊👍🏽 — \"따옴표\" \\ / 끝"

    /// A `call_ended` body with a transcript of about `size` bytes; `call_id` placed after it.
    static func hugeCallEnded(size: Int) -> [UInt8] {
        var body = bytes(#"{"event":"call_ended","call":{"agent_id":"a","transcript":["#)
        let turn = bytes(#"{"role":"user","content":"긴 통화 내용입니다 😊 {\"call_id\":\"decoy\"} [brackets] \\ "},"#)
        while body.count < size { body += turn }
        body.removeLast()
        body += bytes(#"],"call_id":"huge-call","end_timestamp":9}}"#)
        return body
    }

    @Test func oneMegabyteTranscriptExtractAndDecode() throws {
        let body = Self.hugeCallEnded(size: 1 << 20)
        #expect(body.count >= 1 << 20)
        #expect(try EventKey.extract(from: body) == EventKey(event: .callEnded, callID: "huge-call"))
        let event = try CallEvent(decoding: body)
        guard case .callEnded(let call) = event.body else { Issue.record("not call_ended"); return }
        #expect(call.callID == "huge-call")
        #expect((call.transcript?.count ?? 0) > 5_000)
        #expect(call.transcript?.first?.content == #"긴 통화 내용입니다 😊 {"call_id":"decoy"} [brackets] \ "#)
    }

    @Test func textIsKeptByteForByte() throws {
        var writer = JSONWriter()
        writer.string(Self.korean)
        let encoded = writer.bytes
        // Only `"` and `\` are escaped; Korean, emoji and `/` are written verbatim.
        #expect(encoded == bytes(#""안녕하세요, 주문 번호는 ORD-2026-0042입니다 😊👍🏽 — \"따옴표\" \\ / 끝""#))
        let body = bytes(#"{"event":"mid_call","mid_call":{"call_id":"c","event_type":"call_message","event_data":{"role":"user","content":"#) + encoded + bytes("}}}")
        let event = try CallEvent(decoding: body)
        guard case .midCall(let midCall) = event.body, case .callMessage(let message) = midCall.data else {
            Issue.record("not a call_message"); return
        }
        #expect(Array(message.content!.utf8) == Array(Self.korean.utf8))
        #expect(event.raw == body)
    }

    @Test func escapedUnicodeDecodesToTheSameText() throws {
        let escaped = try decode(#"{"event":"call_started","call":{"call_id":"\uc548\ub155 \ud83d\ude0a"}}"#)
        #expect(escaped.callID == "안녕 😊")
    }

    @Test func samplesKeepKoreanAndEmojiVerbatim() throws {
        let lines = try Samples.lines("ko-v1-order-inquiry.jsonl")
        let event = try CallEvent(decoding: lines[4])
        guard case .midCall(let midCall) = event.body, case .callMessage(let message) = midCall.data else {
            Issue.record("not a call_message"); return
        }
        #expect(message.content == "확인해 보니 3월 25일 도착 예정입니다 📦")
    }
}
