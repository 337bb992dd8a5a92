public import Logging

/// Reads the raw-events, records and dead-letter topics and checks them against acknowledged
/// webhooks; again and again until the check passes or `settle` runs out (workers emit a call a
/// grace period after its end, so a check right after the load may be early).
public struct Verification: Sendable {
    public var bootstrapServers: String
    /// Default: `callstream.events`.
    public var eventsTopic = "callstream.events"
    /// Default: `callstream.records`.
    public var recordsTopic = "callstream.records"
    /// Default: `callstream.dlq`.
    public var deadLetterTopic = "callstream.dlq"
    /// How long to wait for the records to arrive. Default: 60 s.
    public var settle: Duration = .seconds(60)

    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    public func run(acknowledged: [AcknowledgedWebhook], logger: Logger) async throws(ReliabilityError) -> InvariantReport {
        let deadline = ContinuousClock.now + settle
        let raw = try await TopicSnapshot.read(topic: eventsTopic, bootstrapServers: bootstrapServers, logger: logger)
        while true {
            let records = try await TopicSnapshot.read(topic: recordsTopic, bootstrapServers: bootstrapServers, logger: logger)
            let deadLetters = try await TopicSnapshot.read(topic: deadLetterTopic, bootstrapServers: bootstrapServers, logger: logger)
            let report = InvariantChecker().check(acknowledged: acknowledged, rawEvents: raw, records: records, deadLetters: deadLetters)
            if report.passed || ContinuousClock.now >= deadline { return report }
            logger.info("not yet", metadata: ["violations": "\(report.violations.count)"])
            try? await Task.sleep(for: .seconds(2))
        }
    }
}
