/// A consumer of the raw events of calls in progress (live monitoring). ``SinkRunner`` hands it
/// batches from the raw events topic; ticks and undecodable events are left out.
public protocol LiveEventSink: SinkLifecycle {
    /// Handles `events`; a throw is retried like a record sink's.
    func receive(_ events: [LiveEvent]) async throws
}
