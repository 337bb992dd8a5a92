import Kafka
public import Logging
import Synchronization

/// Reads whole topics, every partition from its beginning up to the end offsets taken at the start.
public enum TopicSnapshot {
    /// Every message of `topic` up to its current end, in per-partition order; waits at most `timeout`.
    public static func read(
        topic: String, bootstrapServers: String, timeout: Duration = .seconds(120), logger: Logger
    ) async throws(ReliabilityError) -> [TopicMessage] {
        do {
            let admin = try KafkaAdmin(bootstrapServers: bootstrapServers, logger: logger)
            let metadata = try await admin.metadata(topics: [topic])
            await admin.shutdown()
            guard let partitions = metadata.topic(topic)?.partitions, !partitions.isEmpty else {
                throw ReliabilityError(.kafka, "topic \(topic) not found")
            }
            // The last offset to read in each partition that holds anything.
            let ends = Dictionary(uniqueKeysWithValues: partitions.filter { $0.highWatermark > $0.lowWatermark }.map { ($0.id, $0.highWatermark - 1) })
            guard !ends.isEmpty else { return [] }
            var configuration = KafkaConsumerConfiguration(
                bootstrapServers: bootstrapServers,
                subscription: .partitions(ends.keys.sorted().map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) }),
                groupID: nil
            )
            configuration.shutdownTimeout = .seconds(5)
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            let runner = Task { try await consumer.run() }
            let collected = Mutex<[TopicMessage]>([])
            let reader = Task {
                var remaining = Set(ends.keys)
                for await event in consumer.events {
                    guard case .message(let message) = event else { continue }
                    var headers: [String: String] = [:]
                    for header in message.headers { headers[header.key] = header.stringValue }
                    collected.withLock {
                        $0.append(TopicMessage(partition: message.partition, offset: message.offset, key: message.key, value: message.value, headers: headers))
                    }
                    if let end = ends[message.partition], message.offset >= end { remaining.remove(message.partition) }
                    if remaining.isEmpty { return true }
                }
                return false
            }
            let timer = Task {
                try await Task.sleep(for: timeout)
                consumer.triggerGracefulShutdown()
            }
            let complete = await reader.value
            timer.cancel()
            consumer.triggerGracefulShutdown()
            _ = try? await runner.value
            guard complete else { throw ReliabilityError(.kafka, "\(topic) was not read to its end within \(timeout)") }
            return collected.withLock { $0 }
        } catch let error as ReliabilityError {
            throw error
        } catch {
            throw ReliabilityError(.kafka, "reading \(topic): \(error)")
        }
    }
}
