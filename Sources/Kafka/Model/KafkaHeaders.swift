/// A message's headers, in order, packed into one byte buffer.
///
/// A consumed message's headers cost one allocation instead of one per header value plus the
/// array: with the intake's six headers on every event, separate arrays were nearly half the
/// worker's allocations. Look a header up with ``string(for:)`` or ``bytes(for:)`` (no copy);
/// iterating makes a ``KafkaHeader`` (and its value array) per header.
///
/// Layout, per header: key length (UInt32), value length (UInt32; `UInt32.max` for no value), key
/// bytes, value bytes; lengths in little-endian.
public struct KafkaHeaders: Sendable, Hashable {
    private var storage: [UInt8] = []

    /// No headers.
    public init() {}

    /// The headers of `sequence`, in order.
    public init(_ sequence: some Sequence<KafkaHeader>) {
        for header in sequence { append(header) }
    }

    /// Appends a header.
    public mutating func append(_ header: KafkaHeader) {
        var key = header.key
        key.withUTF8 { key in
            if let value = header.value {
                value.withUnsafeBytes { append(key: UnsafeRawBufferPointer(key), value: $0) }
            } else {
                append(key: UnsafeRawBufferPointer(key), value: nil)
            }
        }
    }

    /// Appends a header whose value is the UTF-8 bytes of `string`, without an array of its own.
    public mutating func append(key: String, string: String) {
        var key = key
        var string = string
        key.withUTF8 { key in string.withUTF8 { append(key: UnsafeRawBufferPointer(key), value: UnsafeRawBufferPointer($0)) } }
    }

    /// Appends a header from raw key and value bytes (`nil`: a header without a value).
    public mutating func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        Self.appendLength(UInt32(truncatingIfNeeded: key.count), to: &storage)
        Self.appendLength(value.map { UInt32(truncatingIfNeeded: $0.count) } ?? Self.noValue, to: &storage)
        // As typed buffers: their contiguous storage makes each append one copy.
        storage.append(contentsOf: key.assumingMemoryBound(to: UInt8.self))
        if let value { storage.append(contentsOf: value.assumingMemoryBound(to: UInt8.self)) }
    }

    /// Reserves room for headers of `byteCount` key and value bytes in all, and `count` headers.
    public mutating func reserveCapacity(headers count: Int, bytes byteCount: Int) {
        storage.reserveCapacity(storage.count + count * 8 + byteCount)
    }

    /// The value of the first header named `key` (`nil` when there is none, or it has no value).
    public func bytes(for key: String) -> ArraySlice<UInt8>? {
        guard let index = firstIndex(named: key) else { return nil }
        return entry(at: index.offset).value.map { storage[$0] }
    }

    /// The value of the first header named `key`, decoded as UTF-8.
    public func string(for key: String) -> String? {
        bytes(for: key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The position of the first header named `key`.
    public func firstIndex(named key: String) -> Index? {
        var key = key
        return key.withUTF8 { key in
            var offset = 0
            while offset < storage.count {
                let entry = entry(at: offset)
                let matches = entry.key.count == key.count
                    && storage.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[entry.key]).elementsEqual(key) }
                if matches { return Index(offset: offset) }
                offset = entry.end
            }
            return nil
        }
    }

    /// Calls `body` with each header's key and value bytes, in order, without copying them.
    public func forEachRaw(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try storage.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let entry = entry(at: offset)
                try body(UnsafeRawBufferPointer(rebasing: bytes[entry.key]), entry.value.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) })
                offset = entry.end
            }
        }
    }

    private static let noValue = UInt32.max

    private static func appendLength(_ length: UInt32, to storage: inout [UInt8]) {
        storage.append(UInt8(truncatingIfNeeded: length))
        storage.append(UInt8(truncatingIfNeeded: length >> 8))
        storage.append(UInt8(truncatingIfNeeded: length >> 16))
        storage.append(UInt8(truncatingIfNeeded: length >> 24))
    }

    private func length(at offset: Int) -> UInt32 {
        storage.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    /// The key and value ranges of the header at `offset`, and where the next one starts.
    private func entry(at offset: Int) -> (key: Range<Int>, value: Range<Int>?, end: Int) {
        let keyLength = Int(length(at: offset))
        let valueLength = length(at: offset + 4)
        let keyStart = offset + 8
        let key = keyStart..<keyStart + keyLength
        guard valueLength != Self.noValue else { return (key, nil, key.upperBound) }
        let value = key.upperBound..<key.upperBound + Int(valueLength)
        return (key, value, value.upperBound)
    }
}

extension KafkaHeaders: Collection {
    /// A header's position: the byte offset where it starts.
    public struct Index: Comparable, Hashable, Sendable {
        fileprivate let offset: Int
        public static func < (lhs: Index, rhs: Index) -> Bool { lhs.offset < rhs.offset }
    }

    public var startIndex: Index { Index(offset: 0) }
    public var endIndex: Index { Index(offset: storage.count) }
    public var isEmpty: Bool { storage.isEmpty }

    public func index(after index: Index) -> Index { Index(offset: entry(at: index.offset).end) }

    public subscript(position: Index) -> KafkaHeader {
        let entry = entry(at: position.offset)
        return KafkaHeader(
            key: String(decoding: storage[entry.key], as: UTF8.self),
            value: entry.value.map { Array(storage[$0]) }
        )
    }
}

extension KafkaHeaders: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: KafkaHeader...) {
        self.init(elements)
    }
}

extension KafkaHeaders: CustomStringConvertible {
    public var description: String {
        "[" + map { "\($0.key)=\($0.stringValue ?? "nil")" }.joined(separator: ", ") + "]"
    }
}
