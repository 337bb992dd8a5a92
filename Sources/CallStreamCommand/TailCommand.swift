import ArgumentParser
import Foundation
import Kafka
import Logging

/// `callstream tail records|events|dlq`: prints a topic's messages as they arrive (from the end, or
/// from the beginning), one line each. Reads every partition without a consumer group.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the messages of the records, events or dead-letter topic as they arrive."
    )

    enum Which: String, ExpressibleByArgument, CaseIterable {
        case records, events, dlq
    }

    @Argument(help: "records, events or dlq.")
    var which: Which

    @Option(help: "Brokers to bootstrap from (host:port,…).")
    var bootstrapServers: String = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"

    @Option(help: "The topic, when not CallStream's default for the kind.")
    var topic: String?

    @Flag(help: "Start at the beginning of each partition instead of its end.")
    var fromBeginning = false

    @Option(help: "Stop after this many messages.")
    var limit: Int?

    func run() async throws {
        var logger = Logger(label: "callstream.tail")
        logger.logLevel = .error
        let name = topic ?? "callstream.\(which.rawValue)"
        let admin = try KafkaAdmin(bootstrapServers: bootstrapServers, logger: logger)
        let metadata = try await admin.metadata(topics: [name])
        await admin.shutdown()
        guard let partitions = metadata.topic(name)?.partitions, !partitions.isEmpty else { throw ValidationError("topic \(name) not found") }
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: bootstrapServers,
            subscription: .partitions(partitions.map {
                KafkaTopicPartitionOffset(topic: name, partition: $0.id, offset: fromBeginning ? KafkaOffset.beginning : KafkaOffset.end)
            }),
            groupID: nil
        )
        configuration.shutdownTimeout = .seconds(3)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let runner = Task { try await consumer.run() }
        var printed = 0
        for await event in consumer.events {
            guard case .message(let message) = event else { continue }
            let headers = message.headers.map { "\($0.key)=\($0.stringValue ?? "")" }.joined(separator: " ")
            print("\(message.topic)[\(message.partition)]@\(message.offset) key=\(message.keyString ?? "–") \(headers)\n  \(message.valueString)")
            printed += 1
            if let limit, printed >= limit { break }
        }
        consumer.triggerGracefulShutdown()
        _ = try? await runner.value
    }
}
