/// Member names a scanner looks for, packed so that a name in the input is told apart with a few
/// word comparisons instead of a byte loop per candidate: each name (1 to 16 bytes) is kept as its
/// length, its bytes, zero-padded, as two little-endian words, and the masks that cut 16 bytes of
/// input to its length.
struct JSONKeySet: Sendable {
    /// Words a name: its length, bytes 0 ..< 8, bytes 8 ..< 16, and the masks of those bytes.
    private let packed: [UInt64]
    private static let stride = 5

    init(_ names: [String]) {
        var packed: [UInt64] = []
        packed.reserveCapacity(names.count * Self.stride)
        for name in names {
            let utf8 = Array(name.utf8)
            precondition((1...16).contains(utf8.count), "a key set holds names of 1 to 16 bytes")
            let words = utf8.withUnsafeBufferPointer { Self.words($0.baseAddress!, count: $0.count) }
            let masks = (JSONPlainBytes.lowBytes(min(utf8.count, 8)), JSONPlainBytes.lowBytes(max(utf8.count - 8, 0)))
            packed.append(contentsOf: [UInt64(utf8.count), words.low, words.high, masks.0, masks.1])
        }
        self.packed = packed
    }

    /// The position (in the initialiser's list) of the name of `count` bytes whose first 16 bytes
    /// (zero-padded) are the little-endian words `low` and `high`; `nil` when it is none of them.
    func position(count: Int, low: UInt64, high: UInt64) -> Int? {
        packed.withUnsafeBufferPointer { packed in
            var index = 0
            while index < packed.count {
                if packed[index] == UInt64(count), packed[index + 1] == low, packed[index + 2] == high {
                    return index / Self.stride
                }
                index += Self.stride
            }
            return nil
        }
    }

    /// The name at `name` (just past its opening quote) when it is one of the set followed by its
    /// closing quote: its position and length. The 17 bytes from `name` must be readable. A name
    /// of the set has no quote, backslash or control character, so a match is the whole name,
    /// without escapes.
    @inline(__always)
    func match(_ name: UnsafePointer<UInt8>) -> (position: Int, length: Int)? {
        let low = JSONPlainBytes.load(name)
        let high = JSONPlainBytes.load(name + 8)
        return packed.withUnsafeBufferPointer { packed in
            var index = 0
            while index < packed.count {
                let length = Int(truncatingIfNeeded: packed[index])
                if name[length] == UInt8(ascii: "\""), low & packed[index + 3] == packed[index + 1],
                   high & packed[index + 4] == packed[index + 2] {
                    return (index / Self.stride, length)
                }
                index += Self.stride
            }
            return nil
        }
    }

    /// The position of the name made of the `count` bytes at `base`, as ``position(count:low:high:)``.
    func position(of base: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard count <= 16 else { return nil }
        let words = Self.words(base, count: count)
        return position(count: count, low: words.low, high: words.high)
    }

    /// The position of `name`, as ``position(count:low:high:)``.
    func position(of name: [UInt8]) -> Int? {
        name.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return position(of: base, count: buffer.count)
        }
    }

    /// Up to 16 bytes, zero-padded, as two little-endian words.
    private static func words(_ base: UnsafePointer<UInt8>, count: Int) -> (low: UInt64, high: UInt64) {
        var padded: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &padded) { target in
            // Safe: callers pass at most 16 bytes, the size of the two words.
            target.baseAddress!.copyMemory(from: base, byteCount: count)
            let bytes = target.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return (JSONPlainBytes.load(bytes), JSONPlainBytes.load(bytes + 8))
        }
    }
}
