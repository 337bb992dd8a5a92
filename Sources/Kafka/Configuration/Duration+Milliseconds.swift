extension Duration {
    /// Whole milliseconds, rounded down, clamped to `Int32` as librdkafka's `*.ms` properties want.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let value = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(max(0, min(value, Int64(Int32.max))))
    }

    var timeoutMilliseconds: Int32 { Int32(milliseconds) }
}
