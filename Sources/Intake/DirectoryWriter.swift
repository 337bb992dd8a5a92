public import Kafka
public import Logging

/// Writes directory entries to the compacted directory topic (what `callstream directory put` and
/// `callstream directory import` do): key = the number, value = a JSON object of strings, or an
/// empty value to delete. Returns once the broker acknowledged every entry.
public struct DirectoryWriter: Sendable {
    public var configuration: KafkaProducerConfiguration
    public var topic: String
    public var logger: Logger

    public init(bootstrapServers: String, topic: String = "callstream.directory", logger: Logger) {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
        configuration.clientID = "callstream-directory"
        configuration.messageTimeout = .seconds(30)
        configuration.shutdownTimeout = .seconds(10)
        self.configuration = configuration
        self.topic = topic
        self.logger = logger
    }

    /// Publishes `entries` and returns how many were acknowledged; throws the first failure after
    /// every send has ended. Sends run concurrently, so of several entries for one number only the
    /// last is sent.
    @discardableResult
    public func write(_ entries: [DirectoryEntry]) async throws -> Int {
        for entry in entries where entry.number.isEmpty {
            throw IntakeError.invalidDirectoryEntry("an entry has an empty number")
        }
        var last: [String: Int] = [:]
        for (index, entry) in entries.enumerated() { last[entry.number] = index }
        let entries = entries.enumerated().filter { last[$0.element.number] == $0.offset }.map(\.element)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let runner = Task { try await producer.run() }
        let topic = self.topic
        let result: Result<Int, any Error> = await withTaskGroup(of: (any Error)?.self) { group in
            for entry in entries {
                group.addTask {
                    do {
                        _ = try await producer.send(KafkaProducerMessage(topic: topic, key: Array(entry.number.utf8), value: entry.value))
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var failures: [any Error] = []
            for await error in group { if let error { failures.append(error) } }
            if let first = failures.first { return .failure(first) }
            return .success(entries.count)
        }
        producer.triggerGracefulShutdown()
        try? await runner.value
        return try result.get()
    }

    /// Parses `number key=value …` arguments into an entry (values may contain `=`).
    public static func entry(number: String, assignments: [String]) throws(IntakeError) -> DirectoryEntry {
        var variables: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw .invalidDirectoryEntry("\"\(assignment)\" is not key=value")
            }
            variables[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return DirectoryEntry(number: number, variables: variables)
    }
}
