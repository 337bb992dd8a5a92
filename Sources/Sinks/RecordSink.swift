/// Your consumer of completed call records. ``SinkRunner`` hands it batches in partition order
/// and commits their offsets only after ``write(_:)`` returned.
///
/// Delivery is at least once: after a crash, a rebalance or a replay the same records come again.
/// Be idempotent on `(callID, revision)`: upsert by `callID` keeping the highest `revision`, or
/// skip a `(callID, revision)` you already hold. ``SinkLifecycle/start()`` and
/// ``SinkLifecycle/shutdown()`` are optional.
public protocol RecordSink: SinkLifecycle {
    /// Stores `records` durably, or throws: the runner retries the batch with backoff, then
    /// record by record, and dead-letters what still fails. Throw a ``SinkError`` whose
    /// ``SinkError/isRetriable`` is `false` to dead-letter at once.
    func write(_ records: [SinkRecord]) async throws
}
