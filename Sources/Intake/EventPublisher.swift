import Kafka
import Logging

/// Publishes accepted webhooks and answers only with the broker's acknowledgement (or a 503 error).
struct EventPublisher: Sendable {
    let producer: KafkaProducer
    let timeout: Duration
    let retryAfterSeconds: Int
    let metrics: IntakeMetrics

    /// Sends `message` and returns once the broker acknowledged it; throws ``IntakeError/Code/brokerUnavailable``
    /// on a full queue, a delivery timeout or failure.
    ///
    /// No timer of our own: the producer's `message.timeout.ms` equals ``timeout``, so librdkafka
    /// fails an unacknowledged message itself, and the producer's polling thread reports it at
    /// once. (A per-request timer task cost more CPU than the rest of the publish.)
    func publish(_ message: KafkaProducerMessage) async throws(IntakeError) -> KafkaDeliveryReport {
        let started = ContinuousClock.now
        let result: Result<KafkaDeliveryReport, any Error>
        do { result = .success(try await producer.send(message)) } catch { result = .failure(error) }
        metrics.publishLatency.record(ContinuousClock.now - started)
        switch result {
        case .success(let report):
            return report
        case .failure(let error as KafkaError):
            metrics.publishFailures.increment()
            throw .brokerUnavailable(Self.reason(error), retryAfterSeconds: retryAfterSeconds)
        case .failure:
            metrics.publishFailures.increment()
            throw .brokerUnavailable("delivery failed", retryAfterSeconds: retryAfterSeconds)
        }
    }

    private static func reason(_ error: KafkaError) -> String {
        switch error.code {
        case .queueFull: "the producer queue is full"
        case .messageTimedOut: "no acknowledgement in time"
        case .deliveryUnconfirmed: "the broker's acknowledgement could not be confirmed"
        case .transport: "the broker is unreachable"
        case .shutDown: "the intake is shutting down"
        default: "delivery failed"
        }
    }
}
