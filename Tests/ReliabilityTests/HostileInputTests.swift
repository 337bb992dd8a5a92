import Foundation
import Testing

extension ReliabilityProcessTests {
    /// A table of hostile requests against a running `callstream-intake`: each gets a clear answer (a
    /// JSON error with the right status, or the connection closed for what is not HTTP), the intake
    /// stays up, and its memory stays bounded. The intake reads only `event`, `webhook_version` and
    /// `call_id` (the worker's full decoder is the validator), so a body whose oddity lies in a value it
    /// skips (deep nesting, a huge number) may be accepted: the worker then dead-letters it.
    @Suite("Reliability: hostile input against a running intake")
    struct HostileInputTests {
        struct Case: CustomTestStringConvertible, Sendable {
            var name: String
            var method = "POST"
            var path = "/webhooks/vox/call-events"
            var body: [UInt8]
            var extraHeaders = ""
            /// Acceptable (status, error code) answers; status 0 = closed without an answer.
            var expected: [(Int, String?)]
            var testDescription: String { name }
        }

        static let callEvent = Array(#"{"event":"call_started","call":{"call_id":"hostile-1","agent_id":"a","start_timestamp":1775990000000}}"#.utf8)

        static let cases: [Case] = [
            Case(name: "malformed JSON", body: Array(#"{"event":"call_started","call":{"call_id":"#.utf8), expected: [(400, "not_json")]),
            Case(name: "10,000-deep nesting", body: Array(#"{"event":"call_started","call":{"call_id":"deep","x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 10_000)
                + Array(repeating: UInt8(ascii: "]"), count: 10_000) + Array("}}".utf8), expected: [(400, "not_json"), (200, nil)]),
            Case(name: "10,000-deep nesting, unclosed", body: Array(repeating: UInt8(ascii: "{"), count: 10_000), expected: [(400, "not_json")]),
            Case(name: "huge number", body: Array(#"{"event":"call_started","call":{"call_id":"huge","start_timestamp":1e999999999}}"#.utf8),
                 expected: [(400, "wrong_field_type"), (200, nil)]),
            Case(name: "a 100,000-digit number", body: Array(#"{"event":"call_started","call":{"call_id":"long","n":"#.utf8) + Array(repeating: UInt8(ascii: "9"), count: 100_000) + Array("}}".utf8),
                 expected: [(200, nil), (400, "not_json")]),
            Case(name: "invalid UTF-8", body: Array(#"{"event":"call_started","call":{"call_id":"bad-"#.utf8) + [0xFF, 0xFE] + Array(#""}}"#.utf8), expected: [(400, "not_json")]),
            Case(name: "overlong UTF-8", body: Array(#"{"event":"call_started","call":{"call_id":""#.utf8) + [0xC0, 0xAF] + Array(#""}}"#.utf8), expected: [(400, "not_json")]),
            Case(name: "duplicated keys", body: Array(#"{"event":"call_started","event":"call_ended","call":{"call_id":"dup"}}"#.utf8), expected: [(400, "not_json"), (400, "missing_event"), (400, "unknown_event"), (200, nil)]),
            Case(name: "empty body", body: [], expected: [(400, "empty_body")]),
            Case(name: "not an object", body: Array("[1,2,3]".utf8), expected: [(400, "not_an_object")]),
            Case(name: "a tick from outside", body: Array(#"{"event":"callstream_tick","at_ms":1}"#.utf8), expected: [(400, "unknown_event")]),
            Case(name: "no call_id", body: Array(#"{"event":"call_started","call":{}}"#.utf8), expected: [(400, "missing_call_id")]),
            Case(name: "wrong method", method: "GET", body: [], expected: [(405, "method_not_allowed")]),
            Case(name: "DELETE", method: "DELETE", body: [], expected: [(405, "method_not_allowed")]),
            Case(name: "wrong path", path: "/webhooks/vox/nope", body: callEvent, expected: [(404, "not_found")]),
            Case(name: "path traversal", path: "/../../etc/passwd", body: [], expected: [(404, "not_found"), (400, nil)]),
            Case(name: "a 100 KB header", body: callEvent, extraHeaders: "X-Big: \(String(repeating: "a", count: 100_000))\r\n", expected: [(431, nil), (400, nil), (0, nil)]),
            Case(name: "2,000 headers", body: callEvent, extraHeaders: (0..<2000).map { "X-H\($0): v\r\n" }.joined(), expected: [(431, nil), (400, nil), (0, nil)]),
        ]

        @Test func hostileRequestsGetClearAnswersAndTheIntakeStaysUpWithBoundedMemory() async throws {
            try await ReliabilityStack.with(brokers: 1) { stack in
                let intake = try await stack.startIntake()
                let http = RawHTTP(port: stack.intakePort)
                let before = intake.residentBytes ?? 0
                for testCase in Self.cases {
                    let answer = try http.exchange(testCase.method, testCase.path, body: testCase.body, extraHeaders: testCase.extraHeaders)
                    let got = (answer?.status ?? 0, answer?.errorCode)
                    reportFigure("hostile input: \(testCase.name) -> \(got.0) \(got.1 ?? "-")")
                    #expect(testCase.expected.contains { $0.0 == got.0 && ($0.1 == nil || $0.1 == got.1) },
                            "\(testCase.name): got \(got.0) \(got.1 ?? "-")")
                    // An oversized head is refused by the HTTP decoder before any route: plain 400, connection closed.
                    if got.0 >= 400, testCase.extraHeaders.isEmpty { #expect(got.1 != nil, "\(testCase.name): a JSON error body") }
                    #expect(try http.exchange("GET", "/healthz", body: [])?.status == 200, "up after \(testCase.name)")
                }

                // 100 MB declared: refused from the head (413), without reading the body.
                let declared = try http.connect()
                RawHTTP.write(declared, RawHTTP.head("POST", "/webhooks/vox/call-events", contentLength: 100 * 1024 * 1024) + Array(repeating: UInt8(ascii: " "), count: 65536))
                let declaredAnswer = RawHTTP.read(declared)
                close(declared)
                reportFigure("hostile input: 100 MB declared body -> \(declaredAnswer?.status ?? 0) \(declaredAnswer?.errorCode ?? "-")")
                #expect(declaredAnswer?.status == 413)
                #expect(declaredAnswer?.errorCode == "body_too_large")

                // 100 MB chunked (no length): 413 once past the limit; the rest is read and dropped (so the
                // connection stays usable), never buffered: memory stays flat.
                let chunked = try http.connect(timeout: .seconds(5))
                RawHTTP.write(chunked, RawHTTP.head("POST", "/webhooks/vox/call-events", contentLength: nil, extra: "Transfer-Encoding: chunked\r\n"))
                let megabyte = Array("100000\r\n".utf8) + Array(repeating: UInt8(ascii: " "), count: 0x100000) + Array("\r\n".utf8)
                var sent = 0
                while sent < 100, RawHTTP.write(chunked, megabyte) { sent += 1 }
                let chunkedAnswer = RawHTTP.read(chunked)
                close(chunked)
                reportFigure("hostile input: 100 MB chunked body -> \(chunkedAnswer?.status ?? 0) after \(sent) MB written")
                #expect(chunkedAnswer == nil || chunkedAnswer?.status == 413)
                let afterChunked = intake.residentBytes ?? 0
                #expect(afterChunked < before + 64 * 1_048_576, "100 MB not buffered: RSS \(afterChunked / 1_048_576) MB")

                // Slow drip: 20 connections send a body a byte every 100 ms; the intake answers others meanwhile.
                let drips = try (0..<20).map { _ in try http.connect() }
                for socket in drips { RawHTTP.write(socket, RawHTTP.head("POST", "/webhooks/vox/call-events", contentLength: Self.callEvent.count)) }
                for byte in Self.callEvent.prefix(30) {
                    for socket in drips { RawHTTP.write(socket, [byte]) }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let started = ContinuousClock.now
                #expect(try http.exchange("GET", "/healthz", body: [])?.status == 200, "answers while 20 bodies drip")
                reportFigure("hostile input: /healthz answered in \(ContinuousClock.now - started) while 20 bodies drip")
                for socket in drips { close(socket) }

                try await Task.sleep(for: .seconds(1))
                let after = intake.residentBytes ?? 0
                reportFigure("hostile input: intake RSS \(before / 1_048_576) MB before, \(after / 1_048_576) MB after")
                #expect(intake.isRunning)
                #expect(after < 256 * 1_048_576, "RSS bounded: \(after / 1_048_576) MB")
            }
        }
    }
}
