import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Asks the broker for the raw topic's metadata every few seconds, so `GET /readyz` answers from
/// memory. It owns the intake's admin client and releases it when it stops.
final class BrokerProbe: Service, Sendable {
    let admin: KafkaAdmin
    private let topic: String
    private let interval: Duration
    private let timeout: Duration
    private let logger: Logger
    private let reachable = Atomic<Bool>(false)

    init(admin: KafkaAdmin, topic: String, interval: Duration, timeout: Duration, logger: Logger) {
        self.admin = admin
        self.topic = topic
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    /// Whether the last probe got an answer.
    var isReachable: Bool { reachable.load(ordering: .relaxed) }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let ok: Bool
            do {
                _ = try await admin.metadata(topics: [topic], timeout: timeout)
                ok = true
            } catch {
                ok = false
                if isReachable { logger.warning("broker unreachable", metadata: ["topic": "\(topic)", "error": "\(error)"]) }
            }
            if ok && !isReachable { logger.info("broker reachable", metadata: ["topic": "\(topic)"]) }
            reachable.store(ok, ordering: .relaxed)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
        await admin.shutdown()
    }
}
