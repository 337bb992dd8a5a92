import ArgumentParser
import Foundation
import Kafka
import Logging
import ServiceLifecycle

/// `callstream broker`: the embedded Kafka cluster in the foreground, for development and tests.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run an embedded Kafka cluster (in memory) until SIGINT/SIGTERM.",
        discussion: "Prints bootstrap=HOST:PORT once it serves. Data is kept in memory only."
    )

    @Option(help: "Number of brokers.")
    var brokers: Int = 1

    @Option(name: .customLong("topic"), help: "A topic to create, NAME:PARTITIONS (repeatable). Default: CallStream's topics.")
    var topics: [TopicArgument] = TopicArgument.callStreamDefaults

    @Option(help: "Also write the bootstrap servers to this file (for scripts).")
    var bootstrapFile: String?

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel: LogLevelArgument = .init(level: .notice)

    func run() async throws {
        var logger = Logger(label: "callstream.broker")
        logger.logLevel = logLevel.level
        let bootstrapFile = self.bootstrapFile
        let service = EmbeddedKafkaService(
            configuration: .init(brokers: brokers, topics: topics.map(\.specification)),
            logger: logger
        ) { cluster in
            print("bootstrap=\(cluster.bootstrapServers)")
            fflush(nil)
            if let bootstrapFile {
                try cluster.bootstrapServers.write(toFile: bootstrapFile, atomically: true, encoding: .utf8)
            }
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}

/// `NAME:PARTITIONS` on the command line.
struct TopicArgument: ExpressibleByArgument, Sendable {
    var specification: KafkaTopicSpecification

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let partitions = Int32(parts[1]), partitions > 0 else { return nil }
        specification = KafkaTopicSpecification(name: String(parts[0]), partitions: partitions)
    }

    static let callStreamDefaults: [TopicArgument] = [
        "callstream.events:12", "callstream.records:12", "callstream.dlq:3", "callstream.directory:3",
    ].compactMap(TopicArgument.init(argument:))

    var defaultValueDescription: String { "\(specification.name):\(specification.partitions)" }
}

/// A swift-log level on the command line.
struct LogLevelArgument: ExpressibleByArgument, Sendable {
    var level: Logger.Level

    init(level: Logger.Level) {
        self.level = level
    }

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    var defaultValueDescription: String { level.rawValue }
}
