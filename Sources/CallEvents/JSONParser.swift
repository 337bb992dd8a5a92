/// A strict, allocation-light JSON parser over UTF-8 bytes (RFC 8259).
///
/// Hand-written rather than `JSONSerialization` because the assembler parses every event on the
/// hot path, and because we need number literals and member order kept as sent.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index: Int = 0
    private var depth = 0
    /// Members of the objects being parsed, as a stack: each object copies its own members out
    /// once, at its end, so that member arrays are allocated once at their exact size.
    private var memberStack: [JSONObject.Member] = []
    /// The same for array elements.
    private var elementStack: [JSONValue] = []
    static let maximumDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses a whole document: one value, surrounded by whitespace only.
    mutating func parseDocument() throws(CallEventsError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw .emptyBody }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected bytes after the JSON value") }
        return value
    }

    mutating func parseValue() throws(CallEventsError) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character")
        }
    }

    mutating func parseObject() throws(CallEventsError) -> JSONObject {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONObject()
        }
        // Room for a usual webhook's members at once, instead of regrowing from one.
        if memberStack.capacity == 0 { memberStack.reserveCapacity(32) }
        let base = memberStack.count
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            memberStack.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw fail("expected ',' or '}'")
        }
        depth -= 1
        let members = Array(memberStack[base...])
        memberStack.removeSubrange(base...)
        return JSONObject(members: members)
    }

    mutating func parseArray() throws(CallEventsError) -> [JSONValue] {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return []
        }
        let base = elementStack.count
        while true {
            skipWhitespace()
            let element = try parseValue()
            elementStack.append(element)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        let elements = Array(elementStack[base...])
        elementStack.removeSubrange(base...)
        return elements
    }

    /// Parses a string starting at its opening quote. Strings without escapes (the usual case) are
    /// found eight bytes at a time, then validated and copied in one step.
    mutating func parseString() throws(CallEventsError) -> String {
        index += 1
        let start = index
        let isASCII = skipPlainStringBytes()
        guard index < bytes.count else { throw fail("unterminated string") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            guard let string = UTF8Text.string(slice, isASCII: isASCII) else {
                throw fail("invalid UTF-8 in a string")
            }
            return string
        case UInt8(ascii: "\\"):
            return try parseEscapedString(from: start)
        default:
            throw fail("unescaped control character in a string")
        }
    }

    /// Moves the cursor over string bytes that need no attention; whether they were all ASCII.
    private mutating func skipPlainStringBytes() -> Bool {
        guard let base = bytes.baseAddress, index < bytes.count else { return true }
        let run = JSONPlainBytes.plainPrefix(base + index, bytes.count - index)
        index += run.length
        return run.isASCII
    }

    private mutating func parseEscapedString(from start: Int) throws(CallEventsError) -> String {
        var scratch = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let decoded = scratch.withUnsafeBufferPointer { UTF8Text.string($0) }
                guard let string = decoded else { throw fail("invalid UTF-8 in a string") }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &scratch)
                default: throw fail("invalid escape")
                }
            default:
                if byte < 0x20 { throw fail("unescaped control character in a string") }
                scratch.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func appendUnicodeEscape(to scratch: inout [UInt8]) throws(CallEventsError) {
        var scalar = try readHex4()
        if (0xD800...0xDBFF).contains(scalar) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail("unpaired surrogate in a \\u escape")
            }
            index += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("unpaired surrogate in a \\u escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
        scratch.append(contentsOf: UTF8.encode(unicode)!)
    }

    private mutating func readHex4() throws(CallEventsError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(CallEventsError) -> JSONNumber {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(at: index) {
            while isDigit(at: index) { index += 1 }
        } else {
            throw fail("invalid number")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(at: index) else { throw fail("invalid number") }
            while isDigit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(at: index) else { throw fail("invalid number") }
            while isDigit(at: index) { index += 1 }
        }
        // The literal is ASCII by construction.
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(validLiteral: literal)
    }

    /// Reads a plain JSON integer (`-?(0|[1-9][0-9]*)`, no fraction or exponent) that fits `Int64`;
    /// `nil` for anything else, in which case the caller falls back to the full parser.
    mutating func parseInteger() -> Int64? {
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        if let base = bytes.baseAddress, index + 8 <= bytes.count, let eight = JSONPlainBytes.eightDigits(base + index) {
            // Epoch milliseconds have 13 digits: the first eight in one step.
            value = negative ? -Int64(eight) : Int64(eight)
            index += 8
        }
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let digit = Int64(bytes[index] - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        let length = index - start
        guard length > 0, !(length > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            return nil
        }
        return value
    }

    /// Skips one value without materialising it (used by the call_id scanner).
    mutating func skipValue() throws(CallEventsError) {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    /// Skips a nested object or array by counting brackets outside strings: structure is checked
    /// only loosely here, since the full decoder validates it later.
    private mutating func skipContainer() throws(CallEventsError) {
        var nesting = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                nesting -= 1
                index += 1
                if nesting == 0 { return }
            case UInt8(ascii: "\""):
                try skipString()
            default:
                index += 1
            }
        }
        throw fail("unterminated object or array")
    }

    /// Skips a string starting at its opening quote, honouring escapes.
    mutating func skipString() throws(CallEventsError) {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; return }
            index += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        throw fail("unterminated string")
    }

    /// Which of `keys` the string at `index` (its opening quote) is, without allocating when it has
    /// no escapes; advances past the string. A match is a valid string by construction; other
    /// strings are skipped, not validated.
    mutating func matchString(_ keys: JSONKeySet) throws(CallEventsError) -> Int? {
        let start = index + 1
        if let base = bytes.baseAddress, start + 17 <= bytes.count {
            // Usually the name is one of the keys, followed by its quote within the next 17 bytes.
            if let match = keys.match(base + start) {
                index = start + match.length + 1
                return match.position
            }
            // Else it is usually another plain name: skipped, its end found two words at a time.
            let lowSpecials = JSONPlainBytes.specials(JSONPlainBytes.load(base + start))
            let specials = lowSpecials != 0 ? lowSpecials : JSONPlainBytes.specials(JSONPlainBytes.load(base + start + 8))
            let length = (specials.trailingZeroBitCount + (lowSpecials != 0 ? 0 : 64)) / 8
            if length < 16, base[start + length] == UInt8(ascii: "\"") {
                index = start + length + 1
                return nil
            }
        }
        return try matchStringByteByByte(keys)
    }

    /// ``matchString(_:)`` for names with escapes or control characters, or near the end of the
    /// input; kept out of line so that the usual path stays small.
    @inline(never)
    private mutating func matchStringByteByByte(_ keys: JSONKeySet) throws(CallEventsError) -> Int? {
        let start = index + 1
        var cursor = start
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\\") {
                // Rare: escaped key; decode it properly and compare.
                return keys.position(of: Array(try parseString().utf8))
            }
            if byte == UInt8(ascii: "\"") { break }
            cursor += 1
        }
        guard cursor < bytes.count, let base = bytes.baseAddress else { throw fail("unterminated string") }
        index = cursor + 1
        return keys.position(of: base + start, count: cursor - start)
    }

    /// A copy of the whole input, for the rare paths that need a full parse.
    func bytesForFullParse() -> [UInt8] {
        Array(bytes)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after optional whitespace, or reports `what` was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(CallEventsError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw fail("expected \(what)") }
        index += 1
    }

    /// Consumes `byte` after optional whitespace when it is there; `false` (nothing consumed but
    /// the whitespace) otherwise.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The byte at the cursor after whitespace, if any.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    private func isDigit(at position: Int) -> Bool {
        position < bytes.count && bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9")
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(CallEventsError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("invalid literal") }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    private mutating func enter() throws(CallEventsError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth) levels") }
    }

    func fail(_ problem: String) -> CallEventsError {
        .notJSON("\(problem) at byte \(index)")
    }
}
