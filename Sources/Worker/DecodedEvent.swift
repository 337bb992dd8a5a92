import CallEvents

/// A message's event, decoded on the consumer's polling thread and attached to the message
/// (``Kafka/KafkaMessage/decoded``) for the assembling task to take.
///
/// `@unchecked Sendable`: it is written once, on the polling thread, before the message is handed
/// over (the hand-over's lock orders that write before any read), then taken once, by the task
/// that assembles the message.
final class DecodedEvent: @unchecked Sendable {
    /// `nil` for a message the assembler skips (an inbound audit copy).
    private var result: Result<CallEvent, CallEventsError>?

    init(_ result: consuming Result<CallEvent, CallEventsError>?) {
        self.result = result
    }

    /// The decoded event, moved out (a copy would retain each of its strings).
    func take() -> Result<CallEvent, CallEventsError>? {
        result.take()
    }
}
