import Synchronization

/// Collects the reports of a batch sent with `KafkaProducer.send(_: [KafkaProducerMessage])`
/// and resumes its caller once every message is settled.
final class BatchDelivery: Sendable {
    private struct State {
        var results: [Result<KafkaDeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>?
    }

    let topics: [String]
    private let state: Mutex<State>

    init(topics: [String], continuation: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>) {
        self.topics = topics
        self.state = Mutex(State(results: Array(repeating: nil, count: topics.count), remaining: topics.count, continuation: continuation))
    }

    func complete(_ index: Int, with result: Result<KafkaDeliveryReport, KafkaError>) {
        let finished = state.withLock { state -> (CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>, [Result<KafkaDeliveryReport, KafkaError>])? in
            guard case .none = state.results[index] else { return nil }
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.results.map { $0! })
        }
        if let (continuation, results) = finished { continuation.resume(returning: results) }
    }
}
