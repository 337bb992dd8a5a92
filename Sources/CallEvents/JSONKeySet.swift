/// Member names a scanner looks for, packed so that a name in the input is told apart with a few
/// word comparisons instead of a byte loop per candidate: each name (1 to 16 bytes) is kept as its
/// length and its bytes, zero-padded, as two little-endian words.
struct JSONKeySet: Sendable {
    /// Three words a name: its length, bytes 0 ..< 8 and bytes 8 ..< 16.
    private let packed: [UInt64]

    init(_ names: [String]) {
        var packed: [UInt64] = []
        packed.reserveCapacity(names.count * 3)
        for name in names {
            let utf8 = Array(name.utf8)
            precondition((1...16).contains(utf8.count), "a key set holds names of 1 to 16 bytes")
            let words = utf8.withUnsafeBufferPointer { Self.words($0.baseAddress!, count: $0.count) }
            packed.append(contentsOf: [UInt64(utf8.count), words.low, words.high])
        }
        self.packed = packed
    }

    /// The position (in the initialiser's list) of the name of `count` bytes whose first 16 bytes
    /// (zero-padded) are the little-endian words `low` and `high`; `nil` when it is none of them.
    @inline(__always)
    func position(count: Int, low: UInt64, high: UInt64) -> Int? {
        packed.withUnsafeBufferPointer { packed in
            var index = 0
            while index < packed.count {
                if packed[index] == UInt64(count), packed[index + 1] == low, packed[index + 2] == high {
                    return index / 3
                }
                index += 3
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
