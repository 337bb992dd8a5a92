/// The events of a ``KafkaConsumer`` as an `AsyncSequence`. Iterate it from one task only.
public struct KafkaConsumerEvents: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerEvent
    let buffer: ConsumerEventBuffer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(buffer: buffer)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: ConsumerEventBuffer
        private var pendingRevocation: RevocationGate?
        private let lifetime: ReaderLifetime

        init(buffer: ConsumerEventBuffer) {
            self.buffer = buffer
            self.lifetime = ReaderLifetime(buffer: buffer)
        }

        public mutating func next() async -> KafkaConsumerEvent? {
            // Asking for the next event means the caller is done with the previous revocation.
            pendingRevocation?.open()
            pendingRevocation = nil
            switch await buffer.next() {
            case nil:
                return nil
            case .event(let event):
                return event
            case .revocation(let partitions, let gate):
                pendingRevocation = gate
                return .partitionsRevoked(partitions)
            }
        }

        /// Up to `maximum` events in order, waiting for the first; `nil` once the consumer stopped.
        /// A rebalance event always ends a batch, and a revocation completes when the next batch
        /// (or event) is asked for, as with ``next()``.
        public mutating func nextBatch(maximum: Int) async -> [KafkaConsumerEvent]? {
            pendingRevocation?.open()
            pendingRevocation = nil
            let elements = await buffer.nextBatch(maximum: Swift.max(1, maximum))
            return elements.isEmpty ? nil : events(elements)
        }

        /// Like ``nextBatch(maximum:)``, but without waiting: the events ready now, perhaps none.
        public mutating func readyBatch(maximum: Int) -> [KafkaConsumerEvent] {
            pendingRevocation?.open()
            pendingRevocation = nil
            return events(buffer.takeBatch(maximum: Swift.max(1, maximum)))
        }

        /// The messages ready now, up to `maximum`, without waiting; stops before a rebalance event
        /// (``readyBatch(maximum:)`` returns it). Empty when the next event is not a message.
        ///
        /// The messages are moved out of the consumer, never copied, and come from one hand-over
        /// of the polling thread at most: a call may return fewer than are ready.
        public mutating func readyMessages(maximum: Int) -> [KafkaMessage] {
            pendingRevocation?.open()
            pendingRevocation = nil
            return buffer.takeMessages(maximum: Swift.max(1, maximum))
        }

        /// Waits until an event is ready, without taking it: then ``readyMessages(maximum:)`` or
        /// ``readyBatch(maximum:)`` returns it. `false` once the consumer stopped and every event
        /// was read. Like asking for the next event, it completes the previous revocation.
        public mutating func waitForEvents() async -> Bool {
            pendingRevocation?.open()
            pendingRevocation = nil
            return await buffer.waitForItems()
        }

        private mutating func events(_ elements: [ConsumerEventBuffer.Element]) -> [KafkaConsumerEvent] {
            var events: [KafkaConsumerEvent] = []
            events.reserveCapacity(elements.count)
            for element in elements {
                switch element {
                case .event(let event):
                    events.append(event)
                case .revocation(let partitions, let gate):
                    pendingRevocation = gate
                    events.append(.partitionsRevoked(partitions))
                }
            }
            return events
        }
    }
}

/// Tells the buffer when the iterator is gone, so revocations stop waiting for it.
private final class ReaderLifetime: Sendable {
    let buffer: ConsumerEventBuffer
    init(buffer: ConsumerEventBuffer) { self.buffer = buffer }
    deinit { buffer.readerDidLeave() }
}
