public import CallEvents

/// An event that could not be decoded: produce it to the dead-letter topic with its reason, then
/// acknowledge with ``receipt``.
public struct DeadLetter: Sendable, Hashable {
    public var offset: Int64
    public var reason: CallEventsError
    /// The event's bytes, unchanged.
    public var raw: [UInt8]

    public init(offset: Int64, reason: CallEventsError, raw: [UInt8]) {
        self.offset = offset
        self.reason = reason
        self.raw = raw
    }

    public var receipt: AssemblerReceipt { .deadLetter(offset: offset) }
}
