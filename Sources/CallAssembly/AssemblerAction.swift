/// What the caller of a ``CallAssembler`` must do, in order.
public enum AssemblerAction: Sendable, Hashable {
    /// Produce this record, then acknowledge it.
    case emit(EmittedRecord)
    /// Produce this event to the dead-letter topic, then acknowledge it.
    case deadLetter(DeadLetter)

    /// The receipt to acknowledge once the broker has the output.
    public var receipt: AssemblerReceipt {
        switch self {
        case .emit(let emitted): emitted.receipt
        case .deadLetter(let deadLetter): deadLetter.receipt
        }
    }
}
