public import Sinks
import Synchronization

/// A custom sink in a few lines: keeps each call's highest revision and prints what is new.
/// Redeliveries and replays print nothing twice: `(call_id, revision)` names a record.
///
///     let runner = SinkRunner(configuration: .init(bootstrapServers: "127.0.0.1:9092"),
///                             sink: LatestRevisionSink(), logger: Logger(label: "example"))
///     try await ServiceGroup(services: [runner], logger: logger).run()
public final class LatestRevisionSink: RecordSink {
    private let latest = Mutex<[String: Int]>([:])

    public init() {}

    public func write(_ records: [SinkRecord]) async throws {
        for record in records {
            let isNew = latest.withLock { seen in
                guard record.revision > seen[record.callID, default: 0] else { return false }
                seen[record.callID] = record.revision
                return true
            }
            if isNew { print("call \(record.callID) revision \(record.revision)") }
        }
    }

    /// The highest revision seen per call.
    public var revisions: [String: Int] { latest.withLock { $0 } }
}
