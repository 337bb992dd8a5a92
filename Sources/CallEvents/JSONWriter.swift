/// A small deterministic JSON writer: the caller fixes key order, numbers are written as their
/// literal (integers in plain decimal), strings are UTF-8 as given with only `"`, `\` and control
/// characters escaped (never `/`, never non-ASCII), and there is no whitespace.
public struct JSONWriter: Sendable {
    /// The buffer: the first `length` bytes are written, the rest (zeros) is room for what comes
    /// next. Writing through a pointer into room made in advance costs a fraction of an
    /// `Array.append(contentsOf:)` per piece, and a record is hundreds of pieces. Inlinable (with
    /// ``raw(_:)``) so that a fixed fragment is copied by a few moves where it is written.
    @usableFromInline var storage: [UInt8]
    @usableFromInline var length = 0

    public init(reservingCapacity capacity: Int = 1024) {
        storage = [UInt8](repeating: 0, count: max(capacity, 16))
    }

    /// The bytes written so far, as a copy; ``takeBytes()`` hands them over without one.
    public var bytes: [UInt8] {
        length == storage.count ? storage : Array(storage[..<length])
    }

    /// The bytes written, without a copy; the writer is left empty.
    public mutating func takeBytes() -> [UInt8] {
        storage.removeLast(storage.count - length)
        length = 0
        defer { storage = [] }
        return storage
    }

    /// Appends raw punctuation or an already encoded fragment.
    @inlinable
    public mutating func raw(_ text: StaticString) {
        write(text.utf8Start, text.utf8CodeUnitCount)
    }

    /// Appends `"key":`.
    public mutating func key(_ key: StaticString) {
        let count = key.utf8CodeUnitCount
        withRoom(count + 3) { target in
            target[0] = UInt8(ascii: "\"")
            (target + 1).update(from: key.utf8Start, count: count)
            target[count + 1] = UInt8(ascii: "\"")
            target[count + 2] = UInt8(ascii: ":")
        }
    }

    public mutating func null() {
        raw("null")
    }

    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    public mutating func int(_ value: Int64) {
        // Digits from the end of a 24-byte scratch (an Int64 has at most 19 digits and a sign).
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var magnitude = value.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            let digits = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
            write(digits, buffer.count - start)
        }
    }

    public mutating func int(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    public mutating func number(_ value: JSONNumber) {
        var literal = value.literal
        literal.withUTF8 { write($0) }
    }

    public mutating func string(_ value: String?) {
        guard let value else { return null() }
        // Native strings lend their bytes without a copy of the string; others are made contiguous.
        if value.utf8.withContiguousStorageIfAvailable({ string(utf8: $0) }) == nil {
            var copy = value
            copy.withUTF8 { string(utf8: $0) }
        }
    }

    private mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        guard let base = utf8.baseAddress else { return raw("\"\"") }
        // Usually one plain run: quotes and text in one piece.
        var run = JSONPlainBytes.plainPrefix(base, utf8.count).length
        if run == utf8.count {
            withRoom(run + 2) { target in
                target[0] = UInt8(ascii: "\"")
                (target + 1).update(from: base, count: run)
                target[run + 1] = UInt8(ascii: "\"")
            }
            return
        }
        raw("\"")
        var index = 0
        while true {
            write(base + index, run)
            index += run
            guard index < utf8.count else { break }
            escape(base[index])
            index += 1
            run = JSONPlainBytes.prefixLength(base + index, utf8.count - index)
        }
        raw("\"")
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            withRoom(6) { target in
                target.update(from: StaticString("\\u00").utf8Start, count: 4)
                target[4] = hex.utf8Start[Int(byte >> 4)]
                target[5] = hex.utf8Start[Int(byte & 0x0F)]
            }
        }
    }

    /// Writes a value; object members are written in canonical order (keys sorted by UTF-8 bytes,
    /// duplicates collapsed to the last), so equal values always give equal bytes.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            raw("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { raw(",") }
                self.value(element)
            }
            raw("]")
        case .object(let object): self.object(object)
        }
    }

    /// Writes an object in canonical order (see ``value(_:)``).
    public mutating func object(_ object: JSONObject) {
        raw("{")
        for (index, member) in object.canonicalMembers.enumerated() {
            if index > 0 { raw(",") }
            string(member.key)
            raw(":")
            value(member.value)
        }
        raw("}")
    }

    private mutating func write(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress else { return }
        write(base, source.count)
    }

    @inlinable
    mutating func write(_ source: UnsafePointer<UInt8>, _ count: Int) {
        withRoom(count) { $0.update(from: source, count: count) }
    }

    /// Makes room for `count` more bytes and lets `body` write exactly that many at the pointer.
    @inlinable @inline(__always)
    mutating func withRoom(_ count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        let end = length + count
        if end > storage.count { grow(to: end) }
        let start = length
        storage.withUnsafeMutableBufferPointer { buffer in
            // Safe: `storage` holds at least `end` bytes (grown just above), so the `count` bytes
            // from `start` lie inside it.
            body(buffer.baseAddress! + start)
        }
        length = end
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(needed, 2 * storage.count) - storage.count))
    }
}
