/// One broken promise found by the ``InvariantChecker``.
public struct InvariantViolation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Acknowledged (2xx) but its body is not in the raw-events topic.
        case acknowledgedButNotPublished = "acknowledged_not_published"
        /// An acknowledged event of a call that has no record at all.
        case noRecord = "no_record"
        /// The call's latest record does not reflect an acknowledged event (content, status or count).
        case eventMissingFromRecord = "event_missing_from_record"
        /// An acknowledged event that cannot be decoded and is not in the dead-letter topic.
        case poisonNotDeadLettered = "poison_not_dead_lettered"
        /// Two records with the same call_id and revision but different bytes.
        case differingDuplicate = "differing_duplicate"
        /// A call emitted again under a new revision without a new event (or with a gap in its revisions).
        case unexplainedRevision = "unexplained_revision"
    }

    public var kind: Kind
    public var callID: String
    public var detail: String

    public init(_ kind: Kind, callID: String, _ detail: String) {
        self.kind = kind
        self.callID = callID
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue) call_id=\(callID): \(detail)" }
}
