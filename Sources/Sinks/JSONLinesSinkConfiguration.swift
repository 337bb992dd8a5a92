/// Options of ``JSONLinesSink``; defaults also in `config/callstream.yaml` (`sink.jsonl.*`).
public struct JSONLinesSinkConfiguration: Sendable {
    /// The folder of the day files (created when missing).
    public var directory: String
    /// `fsync` each file after every batch, before the batch's offsets are committed: nothing
    /// acknowledged is lost on power failure, at a cost per batch. Default: `true`.
    public var fsync: Bool = true
    /// File names: `PREFIX-YYYY-MM-DD.jsonl` (UTC day of `ended_at_ms`, else `started_at_ms`;
    /// `PREFIX-undated.jsonl` without either). Default: `records`.
    public var filePrefix: String = "records"

    public init(directory: String, fsync: Bool = true) {
        self.directory = directory
        self.fsync = fsync
    }
}
