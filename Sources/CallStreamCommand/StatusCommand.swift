import ArgumentParser
import Foundation
import Kafka
import Logging

/// `callstream status`: for each CallStream consumer group (the workers, each sink) its members
/// and their partitions, and per partition the committed offset, high watermark and lag, as
/// `kafka-consumer-groups --describe` shows them. Never joins a group.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the consumer lag and members of CallStream's consumer groups."
    )

    @Option(help: "Brokers to bootstrap from (host:port,…).")
    var bootstrapServers: String = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"

    @Option(name: .customLong("group"), help: "Only this consumer group (repeatable). Default: the workers' and the sinks' default groups and every group the brokers list on CallStream's topics.")
    var groups: [String] = []

    @Option(help: "The workers' consumer group (shown even before it committed).")
    var workerGroup = "callstream-workers"

    @Option(help: "The sinks' default consumer group (shown once it committed: the embedded broker cannot list groups).")
    var sinkGroup = "callstream-sink"

    @Option(name: .customLong("topic"), help: "CallStream's topics a group may read (repeatable). Default: callstream.events, callstream.records, callstream.dlq.")
    var topics: [String] = []

    @Flag(help: "Print JSON for scripts.")
    var json = false

    @Option(help: "Seconds to wait for the brokers.")
    var timeout: Int = 10

    func run() async throws {
        var logger = Logger(label: "callstream.status")
        logger.logLevel = .critical
        let admin: KafkaAdmin
        do {
            admin = try KafkaAdmin(bootstrapServers: bootstrapServers, logger: logger)
        } catch {
            throw Self.fail("invalid Kafka configuration: \(error.message)")
        }
        let statuses: [GroupStatus]
        do {
            statuses = try await collect(admin)
        } catch {
            await admin.shutdown(timeout: .seconds(3))
            throw Self.fail("cannot get the groups' status from \(bootstrapServers): \((error as? KafkaError)?.message ?? "\(error)")")
        }
        await admin.shutdown(timeout: .seconds(3))
        print(json ? try Self.encode(statuses) : statuses.map(\.text).joined(separator: "\n\n"))
    }

    private func collect(_ admin: KafkaAdmin) async throws -> [GroupStatus] {
        let wait = Duration.seconds(timeout)
        let known = Set(topics.isEmpty ? ["callstream.events", "callstream.records", "callstream.dlq"] : topics)
        let metadata = try await admin.metadata(timeout: wait)
        let candidates = metadata.topics.filter { known.contains($0.name) }
        // Real brokers describe groups; the embedded one cannot (members then come from commits).
        let descriptions = (try? await admin.describeGroups(timeout: wait)) ?? []
        var names = groups
        if names.isEmpty {
            names = [workerGroup, sinkGroup] + descriptions.filter { group in
                group.group.hasPrefix("callstream") || group.members.contains { $0.assignment.contains { known.contains($0.topic) } }
            }.map(\.group)
        }
        var result: [GroupStatus] = []
        for name in Set(names).sorted() {
            let description = descriptions.first { $0.group == name }
            let committed = try await admin.committedOffsets(
                group: name, partitions: candidates.flatMap { topic in topic.partitions.map { KafkaTopicPartition(topic: topic.name, partition: $0.id) } },
                timeout: wait
            )
            // The group's topics: assigned, committed, or (for the workers) the events topic.
            var used = Set(committed.filter { $0.offset != nil }.map(\.topicPartition.topic))
            used.formUnion(description?.members.flatMap { $0.assignment.map(\.topic) } ?? [])
            if name == workerGroup { used.insert(candidates.first { $0.name.hasSuffix("events") }?.name ?? "callstream.events") }
            // A default group that never committed and has no members is not running at all.
            if used.isEmpty && groups.isEmpty { continue }
            result.append(GroupStatus(group: name, description: description, topics: candidates.filter { used.contains($0.name) }, committed: committed))
        }
        return result
    }

    private static func encode(_ statuses: [GroupStatus]) throws -> String {
        struct Output: Encodable {
            var groups: [GroupStatus]
            var totalLag: Int64
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Output(groups: statuses, totalLag: statuses.reduce(0) { $0 + $1.totalLag }))
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints `message` as one line on standard error; the command then exits with status 1.
    private static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode.failure
    }
}
