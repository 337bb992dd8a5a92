import CRdKafka
import Logging

/// Finds, per partition, the first offset whose message timestamp is at or after a time.
///
/// Real brokers answer from their time index (`ListOffsets`). librdkafka 2.0.2's mock cluster
/// answers every timestamp query with -1 ("no such message"), so when a broker says -1 for a
/// partition whose last message is not older than the time, the partition is scanned instead.
struct TimestampOffsetLookup {
    let properties: [String: String]
    let logger: Logger
    var timeout: Duration = .seconds(10)

    init(properties: [String: String], logger: Logger) {
        var properties = properties
        // A private reader: never joins or commits for the caller's group.
        for key in ["group.id", "enable.auto.commit", "auto.commit.interval.ms", "partition.assignment.strategy",
                    "session.timeout.ms", "heartbeat.interval.ms", "enable.auto.offset.store"] {
            properties.removeValue(forKey: key)
        }
        properties["enable.auto.commit"] = "false"
        // librdkafka 2.0.2 assigns partitions only within a group; this one never joins or commits.
        properties["group.id"] = "callstream-timestamp-lookup-\(UInt64.random(in: 0...UInt64.max))"
        properties["enable.partition.eof"] = "false"
        self.properties = properties
        self.logger = logger
    }

    func offsets(forTimestamp timestamp: Int64, partitions: [KafkaTopicPartition]) async throws -> [KafkaTopicPartitionOffset] {
        let this = self
        let result: Result<[KafkaTopicPartitionOffset], KafkaError> = await Blocking.run {
            Result { () throws(KafkaError) in try this.lookUp(timestamp: timestamp, partitions: partitions) }
        }
        return try result.get()
    }

    private func lookUp(timestamp: Int64, partitions: [KafkaTopicPartition]) throws(KafkaError) -> [KafkaTopicPartitionOffset] {
        let client = try RdKafkaClient(type: RD_KAFKA_CONSUMER, properties: properties, context: ClientContext(logger: logger))
        defer { rd_kafka_destroy(client.handle) }
        let handle = client.handle
        let list = TopicPartitionList.make(partitions.map { KafkaTopicPartitionOffset($0, offset: timestamp) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let error = rd_kafka_offsets_for_times(handle, list, timeout.timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "offsets for times") }
        var result: [KafkaTopicPartitionOffset] = []
        for (entry, partitionError) in TopicPartitionList.entries(list) {
            guard partitionError == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(rdKafka: partitionError, context: "offsets for times \(entry.topicPartition)")
            }
            if entry.offset >= 0 {
                result.append(entry)
                continue
            }
            var low: Int64 = 0
            var high: Int64 = 0
            let watermarkError = rd_kafka_query_watermark_offsets(handle, entry.topic, entry.partition, &low, &high, timeout.timeoutMilliseconds)
            guard watermarkError == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: watermarkError, context: "watermarks \(entry.topicPartition)") }
            let offset = low < high ? try scan(handle: handle, entry.topicPartition, from: low, to: high, timestamp: timestamp) : high
            result.append(KafkaTopicPartitionOffset(entry.topicPartition, offset: offset))
        }
        return result
    }

    /// Reads the partition from `low` until a message at or after `timestamp`; `high` when none is.
    private func scan(handle: OpaquePointer, _ partition: KafkaTopicPartition, from low: Int64, to high: Int64, timestamp: Int64) throws(KafkaError) -> Int64 {
        let list = TopicPartitionList.make([KafkaTopicPartitionOffset(partition, offset: low)])
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let error = rd_kafka_assign(handle, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "assign for timestamp scan") }
        defer { rd_kafka_assign(handle, nil) }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = rd_kafka_consumer_poll(handle, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            // Partitions are scanned one after another on one client: a message prefetched for the
            // partition before may still come out here, and must not answer for this one.
            guard message.pointee.partition == partition.partition,
                  let topic = message.pointee.rkt, String(cString: rd_kafka_topic_name(topic)) == partition.topic else { continue }
            var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            if rd_kafka_message_timestamp(message, &type) >= timestamp { return message.pointee.offset }
            if message.pointee.offset >= high - 1 { return high }
        }
        throw KafkaError(code: .timedOut, message: "timestamp scan of \(partition) did not finish within \(timeout)")
    }
}
