/// Runs of string bytes that JSON leaves as they are: anything but a quote, a backslash or a
/// control character. Found eight bytes at a time, for the parser and the writer alike.
enum JSONPlainBytes {
    /// How many of the `count` bytes at `base` come before the first quote, backslash or control
    /// character (`count` when there is none).
    static func prefixLength(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* UInt64(UInt8(ascii: "\""))
        let backslashes = ones &* UInt64(UInt8(ascii: "\\"))
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // A byte of `x` is zero exactly when (x - 1) sets its high bit and x had it clear;
            // a byte is below 0x20 likewise with (x - 0x20).
            let quote = word ^ quotes
            let backslash = word ^ backslashes
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { break }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return count
    }
}
