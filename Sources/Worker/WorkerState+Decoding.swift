public import CallEvents
public import Kafka

extension WorkerState {
    /// What the assembler is fed for `message`: `nil` for an inbound audit copy, which is
    /// skipped. The event decoded on the polling thread (``decodeOnPollingThread(_:)``) when one is
    /// attached, moved out of it: ask once per message. Otherwise decoded here, from the message.
    public static func decode(_ message: KafkaMessage) -> Result<CallEvent, CallEventsError>? {
        if let decoded = message.decoded as? DecodedEvent { return decoded.take() }
        if let event = message.headers.bytes(for: WorkerHeader.event), event.elementsEqual(inboundAuditValue) { return nil }
        return Result { () throws(CallEventsError) in try CallEvent(decoding: message.value) }
    }

    private static let inboundAuditValue = Array(WorkerHeader.inboundAuditEvent.utf8)

    /// A keyed message's event, decoded from `value` without copying the bytes the event does not
    /// keep (``decodeOnPollingThread(_:)``; its headers are not read).
    public static func decodeInPlace(_ value: UnsafeRawBufferPointer) -> Result<CallEvent, CallEventsError> {
        Result { () throws(CallEventsError) in try CallEvent(decoding: value, keepingRaw: false) }
    }

    /// The worker's ``KafkaConsumerConfiguration/messageDecoder``: decodes each event on the
    /// polling thread, straight from librdkafka's buffer, and hands over only its position and the
    /// decoded event (``decode(_:)`` takes it), so the usual event costs no copy of its key, value
    /// or headers.
    ///
    /// - A message with a key (a call event: the intake keys each by its call id) is decoded from
    ///   its value; its headers are not read. Only when it does not decode are its key, value and
    ///   headers copied, for the dead-letter topic.
    /// - A message without a key is read whole: that is what an inbound audit copy (which the
    ///   intake never keys, and marks by its `event` header) or a tick looks like.
    @Sendable
    public static func decodeOnPollingThread(_ polled: borrowing KafkaPolledMessage) -> KafkaMessage {
        guard polled.key != nil else {
            var message = polled.message()
            message.decoded = DecodedEvent(decode(message))
            return message
        }
        let result = decodeInPlace(polled.value)
        if case .success = result { return polled.position(decoded: DecodedEvent(result)) }
        return polled.message(decoded: DecodedEvent(result))
    }
}
