public import Logging
public import ServiceLifecycle

/// Runs an ``EmbeddedKafkaCluster`` as a service: starts it with its topics in ``run()``,
/// serves until graceful shutdown or cancellation, then stops it within the shutdown timeout.
public struct EmbeddedKafkaService: Service {
    /// What the embedded cluster looks like.
    public struct Configuration: Sendable {
        /// Brokers in the cluster. Default: 1.
        public var brokers: Int = 1
        /// Topics created at start. Default: none (clients' topics are then created with 4 partitions).
        public var topics: [KafkaTopicSpecification] = []
        /// Bound on stopping the cluster. Default: 10 s.
        public var shutdownTimeout: Duration = .seconds(10)

        public init(brokers: Int = 1, topics: [KafkaTopicSpecification] = []) {
            self.brokers = brokers
            self.topics = topics
        }
    }

    private let configuration: Configuration
    private let logger: Logger
    private let onReady: @Sendable (EmbeddedKafkaCluster) async throws -> Void

    /// `onReady` runs once the cluster serves and its topics exist.
    public init(configuration: Configuration, logger: Logger, onReady: @escaping @Sendable (EmbeddedKafkaCluster) async throws -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.onReady = onReady
    }

    public func run() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: configuration.brokers, logger: logger)
        do {
            for topic in configuration.topics {
                try cluster.createTopic(topic)
            }
            logger.info("embedded Kafka cluster serving", metadata: ["bootstrap": "\(cluster.bootstrapServers)", "brokers": "\(configuration.brokers)"])
            try await onReady(cluster)
            try? await gracefulShutdown()
        } catch {
            await cluster.shutdown(timeout: configuration.shutdownTimeout)
            throw error
        }
        await cluster.shutdown(timeout: configuration.shutdownTimeout)
        logger.info("embedded Kafka cluster stopped")
    }
}
