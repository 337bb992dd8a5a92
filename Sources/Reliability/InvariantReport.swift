/// What the ``InvariantChecker`` found. Zero violations is the only pass.
public struct InvariantReport: Sendable, CustomStringConvertible {
    public var acknowledgedWebhooks = 0
    public var acknowledgedCalls = 0
    public var records = 0
    public var deadLetters = 0
    /// Records read again with the same call_id and revision (a crash or rebalance re-emitted them).
    public var repeatedRecords = 0
    public var violations: [InvariantViolation] = []

    public init() {}

    public var passed: Bool { violations.isEmpty }

    /// How many violations of `kind`.
    public func count(_ kind: InvariantViolation.Kind) -> Int {
        violations.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
    }

    /// Acknowledged events missing from a record (every kind that loses an acknowledged event).
    public var lostEvents: Int {
        count(.acknowledgedButNotPublished) + count(.noRecord) + count(.eventMissingFromRecord) + count(.poisonNotDeadLettered)
    }

    /// The summary line, then the first violations.
    public var description: String {
        var lines = [
            "verify: \(passed ? "PASS" : "FAIL") acknowledged=\(acknowledgedWebhooks) calls=\(acknowledgedCalls) records=\(records) "
                + "repeated_records=\(repeatedRecords) dead_letters=\(deadLetters) lost_events=\(lostEvents) "
                + "differing_duplicates=\(count(.differingDuplicate)) unexplained_revisions=\(count(.unexplainedRevision))",
        ]
        lines += violations.prefix(50).map { "  \($0)" }
        if violations.count > 50 { lines.append("  … and \(violations.count - 50) more") }
        return lines.joined(separator: "\n")
    }
}
