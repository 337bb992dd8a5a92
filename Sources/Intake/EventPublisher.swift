import Kafka
import Logging
import Synchronization

/// Publishes accepted webhooks and answers only with the broker's acknowledgement (or a 503 error).
struct EventPublisher: Sendable {
    let producer: KafkaProducer
    let timeout: Duration
    let retryAfterSeconds: Int
    let metrics: IntakeMetrics

    /// Sends `message` and returns once the broker acknowledged it; throws ``IntakeError/Code/brokerUnavailable``
    /// on a full queue, a delivery timeout or failure, or when no answer came within the timeout.
    ///
    /// librdkafka's own `message.timeout.ms` equals the timeout, so it normally fails the message
    /// itself; the guard here (one second later) only bounds the wait should its report be late.
    func publish(_ message: KafkaProducerMessage) async throws(IntakeError) -> KafkaDeliveryReport {
        let started = ContinuousClock.now
        let result = await Self.race(timeout: timeout + .seconds(1)) { try await producer.send(message) }
        metrics.publishLatency.record(ContinuousClock.now - started)
        switch result {
        case .success(let report):
            return report
        case .failure(let error as KafkaError):
            metrics.publishFailures.increment()
            throw .brokerUnavailable(Self.reason(error), retryAfterSeconds: retryAfterSeconds)
        case .failure:
            metrics.publishFailures.increment()
            throw .brokerUnavailable("no acknowledgement in time", retryAfterSeconds: retryAfterSeconds)
        }
    }

    private static func reason(_ error: KafkaError) -> String {
        switch error.code {
        case .queueFull: "the producer queue is full"
        case .messageTimedOut: "no acknowledgement in time"
        case .transport: "the broker is unreachable"
        case .shutDown: "the intake is shutting down"
        default: "delivery failed"
        }
    }

    /// The first of `operation`'s result and a timeout. The operation cannot be recalled (a message
    /// handed to librdkafka stays there), so it runs on in a task of its own when the timeout wins.
    private static func race<T: Sendable>(
        timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error> {
        let slot = Slot<T>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
            slot.continuation.withLock { $0 = continuation }
            let timer = Task {
                try await Task.sleep(for: timeout)
                slot.resume(.failure(PublishTimedOut()))
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                timer.cancel()
                slot.resume(result)
            }
        }
    }

    private struct PublishTimedOut: Error {}

    /// Whoever finishes first resumes the waiting request; the other finds the slot empty.
    private final class Slot<T: Sendable>: Sendable {
        let continuation = Mutex<CheckedContinuation<Result<T, any Error>, Never>?>(nil)

        func resume(_ result: Result<T, any Error>) {
            continuation.withLock { $0.take() }?.resume(returning: result)
        }
    }
}
