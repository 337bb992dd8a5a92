public import CallAssembly

/// The worker's cumulative counts as plain integers, kept inside ``WorkerState`` (under its lock)
/// and copied into Prometheus only when scraped: counting an event costs an array increment.
public struct WorkerCounters: Sendable, Hashable {
    /// Events read (ticks and skipped inbound audits included), indexed by partition.
    public private(set) var consumedByPartition: [Int] = []
    /// Acknowledged records, indexed by ``recordIndex(status:revision:)``.
    public private(set) var records = [Int](repeating: 0, count: Self.statuses.count * Self.revisionLabels.count)
    /// Duplicate and out-of-order events as reported by acknowledged records' `event_counts`
    /// (a revision reports its call's totals again).
    public private(set) var duplicateEvents = 0
    public private(set) var outOfOrderEvents = 0
    /// Dead letters handed to the producer, by reason code (rare: a dictionary is fine here).
    public private(set) var deadLettersByReason: [String: Int] = [:]

    /// Record statuses, in index order.
    public static let statuses: [CallRecord.Status] = [.completed, .incomplete]
    /// Revision label values: revisions past the last share it.
    public static let revisionLabels = ["1", "2", "3", "4+"]

    public init() {}

    @inline(__always)
    mutating func countConsumed(_ partition: Int32) {
        let index = Int(partition)
        guard index >= 0 else { return }
        if index >= consumedByPartition.count {
            consumedByPartition.append(contentsOf: repeatElement(0, count: index + 1 - consumedByPartition.count))
        }
        consumedByPartition[index] += 1
    }

    mutating func countRecord(_ record: CallRecord) {
        records[Self.recordIndex(status: record.status, revision: record.revision)] += 1
        duplicateEvents += record.events.duplicates
        outOfOrderEvents += record.events.outOfOrder
    }

    mutating func countDeadLetter(_ deadLetter: DeadLetter) {
        deadLettersByReason[deadLetter.reason.code.description, default: 0] += 1
    }

    /// Where a record of `status` and `revision` is counted in ``records``.
    public static func recordIndex(status: CallRecord.Status, revision: Int) -> Int {
        let statusIndex = statuses.firstIndex(of: status) ?? 0
        return statusIndex * revisionLabels.count + min(max(revision, 1), revisionLabels.count) - 1
    }
}
