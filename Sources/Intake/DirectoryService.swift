import Kafka
import Logging
import ServiceLifecycle

/// Fills the ``Directory``: first from the configured file, then from the whole compacted
/// directory topic (every partition from its beginning, no consumer group), following updates
/// until shutdown. The directory counts as loaded once each partition was read up to the end it
/// had when reading began.
final class DirectoryService: Service, Sendable {
    private let directory: Directory
    private let configuration: IntakeConfiguration
    private let admin: KafkaAdmin
    private let metrics: IntakeMetrics
    private let logger: Logger

    init(directory: Directory, configuration: IntakeConfiguration, admin: KafkaAdmin, metrics: IntakeMetrics, logger: Logger) {
        self.directory = directory
        self.configuration = configuration
        self.admin = admin
        self.metrics = metrics
        self.logger = logger
    }

    func run() async throws {
        if let path = configuration.inbound.directoryFile {
            let entries = try DirectoryFile.load(path: path)
            for entry in entries { apply(entry) }
            logger.info("directory file loaded", metadata: ["numbers": "\(entries.count)"])
        }
        guard configuration.inbound.directoryFromTopic else {
            directory.markLoaded()
            try? await gracefulShutdown()
            return
        }
        guard let partitions = await partitionsToRead() else { return }
        var remaining: [Int32: Int64] = [:]
        for partition in partitions where partition.highWatermark > partition.lowWatermark {
            remaining[partition.id] = partition.highWatermark
        }
        if remaining.isEmpty { markLoaded() }
        let topic = configuration.directoryTopic
        var consumerConfiguration = KafkaConsumerConfiguration(
            bootstrapServers: configuration.bootstrapServers,
            subscription: .partitions(partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.id, offset: KafkaOffset.beginning) }),
            groupID: nil
        )
        consumerConfiguration.clientID = configuration.clientID
        consumerConfiguration.autoCommitInterval = nil
        consumerConfiguration.shutdownTimeout = .seconds(5)
        consumerConfiguration.properties = configuration.kafkaProperties
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await consumer.run() }
            for await event in consumer.events {
                guard case .message(let message) = event else { continue }
                receive(message)
                if let end = remaining[message.partition], message.offset + 1 >= end {
                    remaining[message.partition] = nil
                    if remaining.isEmpty { markLoaded() }
                }
            }
            try await group.waitForAll()
        }
    }

    private func receive(_ message: KafkaMessage) {
        guard let number = message.keyString, !number.isEmpty else {
            logger.warning("directory message without a key ignored", metadata: metadata(message))
            return
        }
        do {
            apply(try DirectoryEntry(number: number, value: message.value))
        } catch {
            var metadata = metadata(message)
            metadata["error"] = "\(error.message)"
            logger.warning("invalid directory entry ignored", metadata: metadata)
        }
    }

    private func apply(_ entry: DirectoryEntry) {
        if let variables = entry.variables {
            directory.put(entry.number, variables)
        } else {
            directory.remove(entry.number)
        }
        metrics.directorySize.set(to: Double(directory.count))
    }

    private func markLoaded() {
        directory.markLoaded()
        logger.info("directory loaded", metadata: ["topic": "\(configuration.directoryTopic)", "numbers": "\(directory.count)"])
    }

    private func metadata(_ message: KafkaMessage) -> Logger.Metadata {
        ["topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)"]
    }

    /// The topic's partitions with their watermarks, asked for until the broker answers; `nil` on shutdown.
    private func partitionsToRead() async -> [KafkaClusterMetadata.Partition]? {
        let topic = configuration.directoryTopic
        var warned = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let metadata = try await admin.metadata(topics: [topic], timeout: .seconds(5))
                if let partitions = metadata.topic(topic)?.partitions, !partitions.isEmpty { return partitions }
                if !warned { logger.warning("directory topic not found; retrying", metadata: ["topic": "\(topic)"]) }
            } catch {
                if !warned { logger.warning("directory topic unreachable; answering defaults meanwhile", metadata: ["topic": "\(topic)", "error": "\(error)"]) }
            }
            warned = true
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
        return nil
    }
}
