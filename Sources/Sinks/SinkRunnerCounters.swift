/// What a ``SinkRunner`` did so far.
public struct SinkRunnerCounters: Sendable, Hashable {
    /// Records (or events) the sink accepted, repeats included.
    public var written = 0
    /// Writes that threw (each attempt counts).
    public var failedWrites = 0
    /// Messages sent to the dead-letter topic.
    public var deadLettered = 0

    public init() {}
}
