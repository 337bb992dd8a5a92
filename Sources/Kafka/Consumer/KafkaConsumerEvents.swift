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
            if elements.isEmpty { return nil }
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
