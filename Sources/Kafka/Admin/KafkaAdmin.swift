import CRdKafka
public import Logging

/// Topic set-up and cluster inspection.
public final class KafkaAdmin: Sendable {
    let client: RdKafkaClient
    private let properties: [String: String]
    private let logger: Logger

    /// Connects to `bootstrapServers`; `properties` are passed to librdkafka as they are.
    public init(bootstrapServers: String, properties: [String: String] = [:], logger: Logger) throws(KafkaError) {
        var all = ["bootstrap.servers": bootstrapServers, "client.id": "callstream-admin"]
        all.merge(properties) { _, override in override }
        self.client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: all, context: ClientContext(logger: logger))
        self.properties = all
        self.logger = logger
    }

    /// Creates `topics`; ones that already exist are left as they are unless `failIfExists`.
    ///
    /// The embedded cluster has no controller, so CreateTopics times out there (`.timedOut`):
    /// use ``EmbeddedKafkaCluster/createTopic(_:)`` for it instead.
    public func createTopics(_ topics: [KafkaTopicSpecification], failIfExists: Bool = false, timeout: Duration = .seconds(30)) async throws {
        guard !topics.isEmpty else { return }
        let handle = UncheckedSendable(client.handle)
        let result: KafkaError? = await Blocking.run {
            var errorText = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &errorText, errorText.count) else {
                    return KafkaError(code: .configuration, message: "topic \(topic.name): \(String(nulTerminated: errorText))")
                }
                newTopics.append(newTopic)
                for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                    let error = rd_kafka_NewTopic_set_config(newTopic, name, value)
                    if error != RD_KAFKA_RESP_ERR_NO_ERROR { return KafkaError(rdKafka: error, context: "topic \(topic.name) config \(name)") }
                }
            }
            let queue = rd_kafka_queue_new(handle.value)
            defer { rd_kafka_queue_destroy(queue) }
            let options = rd_kafka_AdminOptions_new(handle.value, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            rd_kafka_AdminOptions_set_request_timeout(options, timeout.timeoutMilliseconds, &errorText, errorText.count)
            rd_kafka_AdminOptions_set_operation_timeout(options, timeout.timeoutMilliseconds, &errorText, errorText.count)
            newTopics.withUnsafeMutableBufferPointer { rd_kafka_CreateTopics(handle.value, $0.baseAddress, $0.count, options, queue) }
            guard let event = rd_kafka_queue_poll(queue, timeout.timeoutMilliseconds + 1000) else {
                return KafkaError(code: .timedOut, message: "create topics: no answer within \(timeout)")
            }
            defer { rd_kafka_event_destroy(event) }
            let eventError = rd_kafka_event_error(event)
            if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError(rdKafka: eventError, context: "create topics: \(String(cString: rd_kafka_event_error_string(event)))")
            }
            var count = 0
            guard let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count) else { return nil }
            for index in 0..<count {
                let result = results[index]
                let error = rd_kafka_topic_result_error(result)
                if error == RD_KAFKA_RESP_ERR_NO_ERROR || (error == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS && !failIfExists) { continue }
                let name = String(cString: rd_kafka_topic_result_name(result))
                let text = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
                return KafkaError(rdKafka: error, context: "create topic \(name): \(text)")
            }
            return nil
        }
        if let result { throw result }
    }

    /// Brokers and topics (all, or just `topics`) with each partition's watermarks.
    public func metadata(topics: [String]? = nil, timeout: Duration = .seconds(10)) async throws -> KafkaClusterMetadata {
        let handle = UncheckedSendable(client.handle)
        let result: Result<KafkaClusterMetadata, KafkaError> = await Blocking.run {
            Result { () throws(KafkaError) in try Self.describe(handle.value, topics: topics, timeout: timeout) }
        }
        return try result.get()
    }

    /// The first offset in each of `partitions` whose message is at or after `timestampMilliseconds`.
    public func offsets(forTimestamp timestampMilliseconds: Int64, partitions: [KafkaTopicPartition]) async throws -> [KafkaTopicPartitionOffset] {
        try await TimestampOffsetLookup(properties: properties, logger: logger).offsets(forTimestamp: timestampMilliseconds, partitions: partitions)
    }

    /// Releases the client, within `timeout`.
    public func shutdown(timeout: Duration = .seconds(5)) async {
        await client.destroy(timeout: timeout)
    }

    private static func describe(_ handle: OpaquePointer, topics: [String]?, timeout: Duration) throws(KafkaError) -> KafkaClusterMetadata {
        var raw: UnsafePointer<rd_kafka_metadata>?
        let error: rd_kafka_resp_err_t
        if let topics, topics.count == 1, let topicHandle = rd_kafka_topic_new(handle, topics[0], nil) {
            error = rd_kafka_metadata(handle, 0, topicHandle, &raw, timeout.timeoutMilliseconds)
            rd_kafka_topic_destroy(topicHandle)
        } else {
            error = rd_kafka_metadata(handle, 1, nil, &raw, timeout.timeoutMilliseconds)
        }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata = raw?.pointee else { throw KafkaError(rdKafka: error, context: "metadata") }
        defer { rd_kafka_metadata_destroy(raw) }
        let brokers = (0..<Int(metadata.broker_cnt)).map { index in
            let broker = metadata.brokers[index]
            return KafkaClusterMetadata.Broker(id: broker.id, host: String(cString: broker.host), port: broker.port)
        }
        var result: [KafkaClusterMetadata.Topic] = []
        for index in 0..<Int(metadata.topic_cnt) {
            let topic = metadata.topics[index]
            let name = String(cString: topic.topic)
            if let topics, !topics.contains(name) { continue }
            if topic.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if topics != nil { throw KafkaError(rdKafka: topic.err, context: "metadata of \(name)") }
                continue
            }
            var partitions: [KafkaClusterMetadata.Partition] = []
            for partitionIndex in 0..<Int(topic.partition_cnt) {
                let partition = topic.partitions[partitionIndex]
                var low: Int64 = 0
                var high: Int64 = 0
                let watermarkError = rd_kafka_query_watermark_offsets(handle, name, partition.id, &low, &high, timeout.timeoutMilliseconds)
                guard watermarkError == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: watermarkError, context: "watermarks of \(name)[\(partition.id)]") }
                partitions.append(KafkaClusterMetadata.Partition(
                    id: partition.id, leader: partition.leader,
                    replicas: (0..<Int(partition.replica_cnt)).map { partition.replicas[$0] },
                    lowWatermark: low, highWatermark: high
                ))
            }
            result.append(KafkaClusterMetadata.Topic(name: name, partitions: partitions.sorted { $0.id < $1.id }))
        }
        return KafkaClusterMetadata(brokers: brokers.sorted { $0.id < $1.id }, topics: result.sorted { $0.name < $1.name })
    }
}
