@testable import CallEvents
import Testing

/// Member names are matched two words at a time when 16 bytes follow the opening quote, byte by
/// byte otherwise: both ways must give the same answer and leave the cursor after the name.
@Suite("Member names matched as words")
struct KeyMatchingTests {
    /// Names of 1, 5, 8, 15 and 16 bytes.
    static let names = ["a", "event", "mid_call", "webhook_version", "sixteen_bytes_ok"]

    @Test(arguments: 0...20)
    func matchesWhateverFollowsTheName(_ trailing: Int) throws {
        let keys = JSONKeySet(Self.names)
        let tail = String(repeating: " ", count: trailing)
        for (position, name) in Self.names.enumerated() {
            #expect(try match(keys, "\"\(name)\"" + tail) == position)
            #expect(try match(keys, "\"\(name)x\"" + tail) == nil)
            #expect(try match(keys, "\"\(name.dropLast())\"" + tail) == nil)
            #expect(try match(keys, "\"\(name.dropLast())\\\"\"" + tail) == nil)
            // Escaped, and with a raw control character (skipped, not matched).
            let first = String(name.utf8.first!, radix: 16)
            #expect(try match(keys, "\"\\u00\(first)\(name.dropFirst())\"" + tail) == position)
            #expect(try match(keys, "\"\(name.prefix(1))\u{01}\(name.dropFirst())\"" + tail) == nil)
        }
        #expect(try match(keys, "\"\"" + tail) == nil)
        #expect(throws: CallEventsError.self) { try match(keys, "\"event" + tail) }
    }

    /// The position matched, after checking that the cursor ended just after the name.
    private func match(_ keys: JSONKeySet, _ text: String) throws(CallEventsError) -> Int? {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(CallEventsError) -> Int? in
            var parser = JSONParser(buffer)
            let position = try parser.matchString(keys)
            #expect(parser.peek() == nil, "the cursor stops after the name in \(text)")
            return position
        }
    }
}
