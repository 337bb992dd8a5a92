/// Fast construction of `String`s from bytes that must be valid UTF-8.
///
/// `String(validating:as:)` is generic and not specialised on Linux; this checks ASCII a word at a
/// time and lets the specialised `String(decoding:as:)` validate the rest (no overlongs, no
/// surrogates, nothing above U+10FFFF: it replaces those, which the comparison detects).
enum UTF8Text {
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        string(bytes, isASCII: isASCII(bytes))
    }

    /// ``string(_:)`` when the caller already knows whether the bytes are all ASCII.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String? {
        guard !isASCII else { return String(decoding: bytes, as: UTF8.self) }
        // `String(decoding:)` validates too, replacing each ill-formed sequence with U+FFFD (which
        // changes the bytes, since the replacement is itself well-formed): the bytes are valid
        // exactly when they come back unchanged. One validation instead of two.
        var string = String(decoding: bytes, as: UTF8.self)
        let unchanged = string.withUTF8 { equal($0, bytes) }
        return unchanged ? string : nil
    }

    /// Byte equality, eight at a time.
    private static func equal(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
        var index = 0
        while index + 8 <= left.count {
            if UnsafeRawPointer(leftBase + index).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(rightBase + index).loadUnaligned(as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < left.count {
            if leftBase[index] != rightBase[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index + 8 <= bytes.count {
            if UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
