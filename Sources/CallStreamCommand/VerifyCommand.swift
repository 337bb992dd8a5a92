import ArgumentParser
import Foundation
import Logging
import Reliability

/// `callstream verify`: the invariant checker over a load log and the topics.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every acknowledged webhook of a load log is in its call's record (or the dead-letter topic).",
        discussion: """
            Reports acknowledged events missing from the raw topic or from their call's latest record, records that
            differ from their duplicate (same call_id and revision), and revisions without a new event.
            Waits up to --settle-seconds for the workers to emit. Exits 1 unless there are none.
            """
    )

    @Option(help: "The acknowledgement log written by `callstream load --log`.")
    var log: String

    @OptionGroup var verification: VerificationOptions

    func run() async throws {
        try await verification.check(logPath: log)
    }
}

/// Where `verify` (and `load --verify`) read the topics.
struct VerificationOptions: ParsableArguments {
    @Option(help: "Brokers to bootstrap from (host:port,…).")
    var bootstrapServers: String = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"

    @Option(help: "The raw-events topic.")
    var eventsTopic: String = "callstream.events"

    @Option(help: "The records topic.")
    var recordsTopic: String = "callstream.records"

    @Option(help: "The dead-letter topic.")
    var dlqTopic: String = "callstream.dlq"

    @Option(help: "How long to wait for the records to arrive.")
    var settleSeconds: Int = 60

    /// Runs the check, prints the report; throws `ExitCode(1)` when it fails.
    func check(logPath: String) async throws {
        var logger = Logger(label: "callstream.verify")
        logger.logLevel = .error
        var verification = Verification(bootstrapServers: bootstrapServers)
        verification.eventsTopic = eventsTopic
        verification.recordsTopic = recordsTopic
        verification.deadLetterTopic = dlqTopic
        verification.settle = .seconds(settleSeconds)
        let report = try await verification.run(acknowledged: try AcknowledgementLog.read(path: logPath), logger: logger)
        print(report)
        guard report.passed else { throw ExitCode(1) }
    }
}
