import ArgumentParser
import Foundation
import Intake
import Logging

/// `callstream directory`: writes the inbound directory topic (key = E.164 number, value = JSON object).
struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Write the inbound directory topic that the intake answers dynamic variables from.",
        subcommands: [Put.self, Delete.self, Import.self]
    )

    struct Options: ParsableArguments {
        @Option(help: "Brokers to bootstrap from (host:port,…).")
        var bootstrapServers: String = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"

        @Option(help: "The compacted directory topic.")
        var topic: String = ProcessInfo.processInfo.environment["TOPICS_DIRECTORY"] ?? "callstream.directory"

        @Option(help: "Log level (trace, debug, info, notice, warning, error).")
        var logLevel: LogLevelArgument = .init(level: .warning)

        func writer() -> DirectoryWriter {
            var logger = Logger(label: "callstream.directory")
            logger.logLevel = logLevel.level
            return DirectoryWriter(bootstrapServers: bootstrapServers, topic: topic, logger: logger)
        }
    }

    /// `callstream directory put NUMBER key=value …`
    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a number's variables (replacing the previous ones).")

        @OptionGroup var options: Options

        @Argument(help: "The E.164 number, e.g. +821012345678.")
        var number: String

        @Argument(help: "Variables as key=value.")
        var assignments: [String] = []

        func run() async throws {
            let entry = try DirectoryWriter.entry(number: number, assignments: assignments)
            try await options.writer().write([entry])
            print("put 1 number into \(options.topic)")
        }
    }

    /// `callstream directory delete NUMBER …`
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget numbers (writes tombstones).")

        @OptionGroup var options: Options

        @Argument(help: "E.164 numbers.")
        var numbers: [String]

        func run() async throws {
            let count = try await options.writer().write(numbers.map { DirectoryEntry(number: $0, variables: nil) })
            print("deleted \(count) numbers from \(options.topic)")
        }
    }

    /// `callstream directory import FILE.csv`
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a CSV (number,name,… with a header line) or JSON ({\"+8210…\": {…}}) file into the topic."
        )

        @OptionGroup var options: Options

        @Argument(help: "The file; .json is read as JSON, anything else as CSV.")
        var file: String

        func run() async throws {
            let entries = try DirectoryFile.load(path: file)
            let count = try await options.writer().write(entries)
            print("imported \(count) numbers into \(options.topic)")
        }
    }
}
