import ArgumentParser
import Foundation
import Kafka
import Logging

/// `callstream topics create`: CallStream's topics on a real cluster, through the admin API
/// (the embedded broker has no controller, so there `callstream broker` creates them instead).
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Manage CallStream's topics.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the raw events, records (compacted), dead-letter and directory (compacted) topics."
        )

        @Option(help: "Brokers to bootstrap from (host:port,…).")
        var bootstrapServers: String = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"

        @Option(help: "Partitions of the events and records topics (the most workers that can share the load).")
        var partitions: Int32 = 12

        @Option(help: "Partitions of the dead-letter and directory topics.")
        var smallPartitions: Int32 = 3

        @Option(help: "Replication factor of every topic.")
        var replication: Int32 = 3

        @Option(help: "The raw events topic.")
        var events = "callstream.events"
        @Option(help: "The records topic (compacted).")
        var records = "callstream.records"
        @Option(help: "The dead-letter topic.")
        var dlq = "callstream.dlq"
        @Option(help: "The inbound directory topic (compacted).")
        var directory = "callstream.directory"

        func run() async throws {
            var logger = Logger(label: "callstream.topics")
            logger.logLevel = .error
            let compacted = ["cleanup.policy": "compact"]
            let topics = [
                KafkaTopicSpecification(name: events, partitions: partitions, replicationFactor: replication),
                KafkaTopicSpecification(name: records, partitions: partitions, replicationFactor: replication, configs: compacted),
                KafkaTopicSpecification(name: dlq, partitions: smallPartitions, replicationFactor: replication),
                KafkaTopicSpecification(name: directory, partitions: smallPartitions, replicationFactor: replication, configs: compacted),
            ]
            let admin = try KafkaAdmin(bootstrapServers: bootstrapServers, logger: logger)
            do {
                try await admin.createTopics(topics)
            } catch {
                await admin.shutdown()
                throw error
            }
            await admin.shutdown()
            for topic in topics {
                print("\(topic.name): \(topic.partitions) partitions, replication \(topic.replicationFactor)\(topic.configs.isEmpty ? "" : ", compacted")")
            }
        }
    }
}
