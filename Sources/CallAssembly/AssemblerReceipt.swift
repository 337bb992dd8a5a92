/// What the caller hands back to ``CallAssembler/acknowledge(_:)`` once the broker has durably
/// stored the output of an action.
public enum AssemblerReceipt: Sendable, Hashable {
    /// The record of `callID` at `revision` is in the records topic.
    case record(callID: String, revision: Int)
    /// The dead letter of the event at `offset` is in the dead-letter topic.
    case deadLetter(offset: Int64)
}
