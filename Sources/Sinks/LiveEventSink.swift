/// A consumer of the raw events of calls in progress (live monitoring). ``SinkRunner`` hands it
/// batches from the raw events topic; ticks and undecodable events are left out.
public protocol LiveEventSink: Sendable {
    /// Handles `events`; a throw is retried like a record sink's.
    func receive(_ events: [LiveEvent]) async throws

    /// Called once before the first batch. Default: nothing.
    func start() async throws
    /// Called once after the last batch. Default: nothing.
    func shutdown() async throws
}

extension LiveEventSink {
    public func start() async throws {}
    public func shutdown() async throws {}
}
