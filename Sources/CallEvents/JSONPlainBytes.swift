/// Runs of string bytes that JSON leaves as they are: anything but a quote, a backslash or a
/// control character. Found eight bytes at a time, for the parser and the writer alike (with
/// the parser's other word-at-a-time helper, eight digits of an integer at once).
enum JSONPlainBytes {
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// How many of the `count` bytes at `base` come before the first quote, backslash or control
    /// character (`count` when there is none).
    static func prefixLength(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        plainPrefix(base, count).length
    }

    /// ``prefixLength(_:_:)``, and whether those bytes are all ASCII (so that the parser need not
    /// look at them again to build a `String`).
    @inline(__always)
    static func plainPrefix(_ base: UnsafePointer<UInt8>, _ count: Int) -> (length: Int, isASCII: Bool) {
        var index = 0
        var seen: UInt64 = 0
        while index &+ 8 <= count {
            let word = load(base + index)
            let special = specials(word)
            if special != 0 {
                let offset = special.trailingZeroBitCount / 8
                return (index &+ offset, (seen | word & lowBytes(offset)) & highs == 0)
            }
            seen |= word
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            seen |= UInt64(byte)
            index &+= 1
        }
        return (index, seen & highs == 0)
    }

    /// The eight bytes at `pointer` as a little-endian word: byte `i` in bits `8i ..< 8i+8`.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each byte of `word` that is a quote, a backslash or a control character,
    /// exact up to the first one (the lowest set bit); bits above it may be false alarms.
    @inline(__always)
    static func specials(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        // A byte of `x` is zero exactly when (x - 1) sets its high bit and x had it clear;
        // a byte is below 0x20 likewise with (x - 0x20). A borrow only spreads upwards, from a
        // byte that matched.
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)) & highs
    }

    /// The value of the eight ASCII digits at `pointer`; `nil` unless all eight are digits.
    @inline(__always)
    static func eightDigits(_ pointer: UnsafePointer<UInt8>) -> UInt64? {
        let word = load(pointer)
        // Every byte is 0x30...0x39 exactly when its high nibble is 3, and stays 3 after adding 6.
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        guard word & nibbles == threes, (word &+ 0x0606_0606_0606_0606) & nibbles == threes else { return nil }
        // Pairs, then fours, then all eight digits, the first digit being the lowest byte.
        // (Shifts bind tighter than products in Swift: the parentheses matter.)
        var value = ((word & 0x0F0F_0F0F_0F0F_0F0F) &* 2561) &>> 8
        value = ((value & 0x00FF_00FF_00FF_00FF) &* 6_553_601) &>> 16
        return (((value & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) &>> 32) & 0xFFFF_FFFF
    }

    /// A mask of the lowest `count` bytes of a word (`count` from 0 to 8).
    @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : (1 &<< UInt64(count &* 8)) &- 1
    }
}
