import ArgumentParser
import Foundation
import Kafka
import Logging
import Synchronization
import Worker

/// `callstream replay`: reprocesses a range of the raw topic with a private consumer group into a
/// records topic, with a progress line, and stops at the end offsets taken at its start.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Reprocess the raw events from a point into a records topic (and/or a JSON Lines file)."
    )

    @Option(help: "Brokers to bootstrap from (host:port,…).")
    var bootstrapServers: String = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092"

    @Option(help: "The raw events topic.")
    var eventsTopic: String = ProcessInfo.processInfo.environment["TOPICS_EVENTS"] ?? "callstream.events"

    @Option(help: "Where to start: earliest, OFFSET (every partition), PARTITION:OFFSET (that partition only), or an ISO 8601 time.")
    var from: String

    @Option(help: "Where to stop: an ISO 8601 time; events stamped at or after it are not read (default: the end offsets at the start).")
    var to: String?

    @Option(help: "A consumer group of its own for this replay (not the live workers' group).")
    var group: String

    @Option(help: "The topic the replayed records go to (a new one to compare with the live run).")
    var recordsTopic: String

    @Option(help: "Also write every record to a file: jsonl:PATH.")
    var sink: String?

    @Option(help: "The dead-letter topic for undecodable events met again.")
    var dlqTopic: String = "callstream.dlq"

    func run() async throws {
        var logger = Logger(label: "callstream.replay")
        logger.logLevel = .error
        let admin = try KafkaAdmin(bootstrapServers: bootstrapServers, logger: logger)
        let metadata = try await admin.metadata(topics: [eventsTopic])
        guard let topic = metadata.topic(eventsTopic), !topic.partitions.isEmpty else {
            await admin.shutdown()
            throw ValidationError("topic \(eventsTopic) not found")
        }
        var ends: [Int32: Int64] = [:]
        var lows: [Int32: Int64] = [:]
        for partition in topic.partitions {
            ends[partition.id] = partition.highWatermark
            lows[partition.id] = partition.lowWatermark
        }
        let start: ReplayPlan.Start
        do {
            start = try await startPoint(admin, partitions: topic.partitions.map(\.id))
            if let to {
                for (partition, end) in try await offsets(admin, at: try Self.date(to, option: "--to"), partitions: topic.partitions.map(\.id)) {
                    ends[partition] = min(end, ends[partition] ?? end)
                }
            }
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()

        var configuration = WorkerConfiguration(bootstrapServers: bootstrapServers)
        configuration.eventsTopic = eventsTopic
        configuration.groupID = group
        configuration.clientID = "callstream-replay"
        configuration.recordsTopic = recordsTopic
        configuration.deadLetterTopic = dlqTopic
        configuration.replay = ReplayPlan(start: start, endOffsets: ends, lowOffsets: lows)

        let output = try sink.map { sink -> FileHandle in
            guard sink.hasPrefix("jsonl:") else { throw ValidationError("--sink must be jsonl:PATH") }
            let path = String(sink.dropFirst("jsonl:".count))
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        let records = Mutex(0)
        let began = ContinuousClock.now
        let worker = Worker(configuration: configuration, logger: logger) { record in
            records.withLock { $0 += 1 }
            output?.write(Data(record.bytes + [UInt8(ascii: "\n")]))
        } onReplayProgress: { read, total in
            FileHandle.standardError.write(Data(("\r" + Self.progressLine(read: read, total: total, since: began)).utf8))
        }
        try await worker.run()
        try output?.close()
        FileHandle.standardError.write(Data("\n".utf8))
        print("replayed \(configuration.replay!.totalEvents) events → \(records.withLock { $0 }) records on \(recordsTopic)")
    }

    private func startPoint(_ admin: KafkaAdmin, partitions: [Int32]) async throws -> ReplayPlan.Start {
        if from == "earliest" { return .earliest }
        if let offset = Int64(from) { return .offset(offset) }
        let parts = from.split(separator: ":")
        if parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]) {
            return .partitionOffset(partition: partition, offset: offset)
        }
        return .offsets(try await offsets(admin, at: try Self.date(from, option: "--from"), partitions: partitions))
    }

    /// Per partition, the first offset stamped at or after `date` (partitions with none left out).
    private func offsets(_ admin: KafkaAdmin, at date: Date, partitions: [Int32]) async throws -> [Int32: Int64] {
        let found = try await admin.offsets(
            forTimestamp: Int64(date.timeIntervalSince1970 * 1000),
            partitions: partitions.map { KafkaTopicPartition(topic: eventsTopic, partition: $0) }
        )
        var offsets: [Int32: Int64] = [:]
        for offset in found where offset.offset >= 0 { offsets[offset.partition] = offset.offset }
        return offsets
    }

    static func date(_ text: String, option: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
            throw ValidationError(option == "--from"
                ? "--from \(text): not earliest, OFFSET, PARTITION:OFFSET or an ISO 8601 time"
                : "\(option) \(text): not an ISO 8601 time (e.g. 2026-11-25T12:00:00Z)")
        }
        return date
    }

    static func progressLine(read: Int64, total: Int64, since began: ContinuousClock.Instant) -> String {
        let elapsed = max(0.001, Double((ContinuousClock.now - began).components.seconds) + Double((ContinuousClock.now - began).components.attoseconds) / 1e18)
        let rate = Double(read) / elapsed
        let percent = total > 0 ? Double(read) * 100 / Double(total) : 100
        let eta = rate > 0 ? Double(total - read) / rate : 0
        return String(format: "replay: %lld/%lld events (%.1f%%) · %.0f events/s · ETA %.0f s   ", read, total, percent, rate, eta)
    }
}
