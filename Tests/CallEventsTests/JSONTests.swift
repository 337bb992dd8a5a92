import CallEvents
import Testing

@Suite("JSON values, parser and writer")
struct JSONTests {
    @Test func numbersKeepTheirLiteral() throws {
        let value = try JSONValue(parsing: bytes("[0,-1,12.50,1e3,-0.5E-2,9223372036854775807,123456789012345678901234567890]"))
        let literals = value.arrayValue?.compactMap { $0.numberValue?.literal }
        #expect(literals == ["0", "-1", "12.50", "1e3", "-0.5E-2", "9223372036854775807", "123456789012345678901234567890"])
        var writer = JSONWriter()
        writer.value(value)
        #expect(writer.bytes == bytes("[0,-1,12.50,1e3,-0.5E-2,9223372036854775807,123456789012345678901234567890]"))
    }

    @Test(arguments: ["01", "1.", ".5", "-", "1e", "+1", "NaN", "tru", "nul", "\"a", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "\"\u{01}\"", "\"\\x\"", "\"\\ud800\""])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: CallEventsError.self) { try JSONValue(parsing: bytes(text)) }
    }

    /// Ill-formed UTF-8 inside a string, at every position of a long string (the scanner and the
    /// validator work eight bytes at a time): overlong, surrogate, truncated, above U+10FFFF, a
    /// lone continuation byte, an invalid lead byte.
    @Test(arguments: [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF]] as [[UInt8]])
    func rejectsIllFormedUTF8AnywhereInAString(_ bad: [UInt8]) {
        let text = Array("주문 상태 order status 확인".utf8)
        for position in 0...text.count {
            guard position == text.count || text[position] & 0xC0 != 0x80 else { continue }
            let body = [UInt8(ascii: "\"")] + text[..<position] + bad + text[position...] + [UInt8(ascii: "\"")]
            #expect(throws: CallEventsError.self, "at \(position)") { try JSONValue(parsing: body) }
        }
    }

    /// Quotes, backslashes and control characters at every position of a string are found when
    /// parsing and escaped when writing.
    @Test func findsEscapesAndControlCharactersAtEveryPosition() throws {
        let text = "0123456789abcdefghij가나다"
        for position in 0...text.count {
            let prefix = String(text.prefix(position)), suffix = String(text.dropFirst(position))
            let escaped = try JSONValue(parsing: bytes("\"" + prefix + "\\\"\\\\\\n" + suffix + "\""))
            #expect(escaped.stringValue == prefix + "\"\\\n" + suffix)
            #expect(throws: CallEventsError.self) { try JSONValue(parsing: bytes("\"" + prefix + "\u{01}" + suffix + "\"")) }
            let valid = try JSONValue(parsing: bytes("\"" + prefix + "😀" + suffix + "\""))
            #expect(valid.stringValue == prefix + "😀" + suffix)
            var writer = JSONWriter()
            writer.string(prefix + "\"\\\n\u{01}" + suffix)
            #expect(writer.bytes == bytes("\"" + prefix + "\\\"\\\\\\n\\u0001" + suffix + "\""))
        }
    }

    @Test func equalityIgnoresMemberOrderAndNumberSpelling() throws {
        let left = try JSONValue(parsing: bytes(#"{"a":1,"b":{"x":[1.0,"y"],"z":null}}"#))
        let right = try JSONValue(parsing: bytes(#"{"b":{"z":null,"x":[1,"y"]},"a":1e0}"#))
        #expect(left == right)
        #expect(left.hashValue == right.hashValue)
        #expect(try JSONValue(parsing: bytes(#"{"a":1}"#)) != JSONValue(parsing: bytes(#"{"a":2}"#)))
        #expect(try JSONValue(parsing: bytes("9007199254740993")) != JSONValue(parsing: bytes("9007199254740992")))
    }

    @Test func writerSortsKeysAndCollapsesDuplicates() throws {
        let value = try JSONValue(parsing: bytes(#"{"b":1,"a":{"d":[],"c":"x"},"가":true,"b":2,"A":null}"#))
        var writer = JSONWriter()
        writer.value(value)
        #expect(writer.bytes == bytes(#"{"A":null,"a":{"c":"x","d":[]},"b":2,"가":true}"#))
    }

    @Test func writerEscapesOnlyWhatJSONRequires() {
        var writer = JSONWriter()
        writer.string("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}é😀\u{2028}")
        #expect(writer.bytes == bytes("\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0001\\u001fé😀\u{2028}\""))
    }

    @Test func writerIntegers() {
        var writer = JSONWriter()
        for value: Int64 in [0, 7, -7, 1_775_980_200_000, .max, .min] {
            writer.int(value)
            writer.raw(",")
        }
        #expect(writer.bytes == bytes("0,7,-7,1775980200000,9223372036854775807,-9223372036854775808,"))
    }

    @Test func stringRoundTripThroughParserAndWriter() throws {
        let text = "줄\n바꿈\t탭 \"인용\" \\ 😀 \u{7F}"
        var writer = JSONWriter()
        writer.string(text)
        let parsed = try JSONValue(parsing: writer.bytes)
        #expect(parsed == .string(text))
    }
}
