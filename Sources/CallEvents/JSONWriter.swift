/// A small deterministic JSON writer: the caller fixes key order, numbers are written as their
/// literal (integers in plain decimal), strings are UTF-8 as given with only `"`, `\` and control
/// characters escaped (never `/`, never non-ASCII), and there is no whitespace.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends raw punctuation or an already encoded fragment.
    public mutating func raw(_ text: StaticString) {
        let pointer = text.utf8Start
        bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: text.utf8CodeUnitCount))
    }

    /// Appends `"key":`.
    public mutating func key(_ key: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(key)
        raw("\":")
    }

    public mutating func null() {
        raw("null")
    }

    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    public mutating func int(_ value: Int64) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { buffer in
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    public mutating func int(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    public mutating func number(_ value: JSONNumber) {
        bytes.append(contentsOf: value.literal.utf8)
    }

    public mutating func string(_ value: String?) {
        guard var text = value else { return null() }
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            var index = 0
            while true {
                let run = JSONPlainBytes.prefixLength(base + index, utf8.count - index)
                bytes.append(contentsOf: UnsafeBufferPointer(start: base + index, count: run))
                index += run
                guard index < utf8.count else { break }
                escape(base[index])
                index += 1
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
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
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object): self.object(object)
        }
    }

    /// Writes an object in canonical order (see ``value(_:)``).
    public mutating func object(_ object: JSONObject) {
        bytes.append(UInt8(ascii: "{"))
        for (index, member) in object.canonicalMembers.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(member.key)
            bytes.append(UInt8(ascii: ":"))
            value(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
