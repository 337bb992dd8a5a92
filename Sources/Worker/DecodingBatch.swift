import CallEvents
import Dispatch
import Kafka
import Synchronization

/// A batch of messages being decoded on a dispatch queue (not a cooperative thread, which the
/// worker's other tasks need) while the batch before it is assembled.
final class DecodingBatch: Sendable {
    typealias Decoded = [Result<CallEvent, CallEventsError>?]

    let messages: [KafkaMessage]
    private let state = Mutex<(decoded: Decoded?, waiter: CheckedContinuation<Decoded, Never>?)>((nil, nil))

    /// Starts decoding at once.
    init(_ messages: [KafkaMessage]) {
        self.messages = messages
        DispatchQueue.global().async { self.deliver(Worker.decode(messages)) }
    }

    /// The decoded messages, in order, waiting for them.
    func decoded() async -> Decoded {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Decoded? in
                // Taken, not copied: the caller moves events out of the array, which must not be shared.
                if let decoded = state.decoded.take() { return decoded }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func deliver(_ decoded: Decoded) {
        let waiter = state.withLock { state -> CheckedContinuation<Decoded, Never>? in
            guard let waiter = state.waiter else {
                state.decoded = decoded
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: decoded)
    }
}
