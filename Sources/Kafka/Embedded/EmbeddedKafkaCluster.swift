import CRdKafka
public import Logging

/// An in-process Kafka cluster (librdkafka's mock cluster) that speaks the real protocol over TCP
/// on loopback, serves other processes, runs consumer groups and injects faults.
///
/// Data lives in memory only, and only the last 5 MiB (or 100,000 batches) of each partition:
/// librdkafka 2.0.2 drops older batches and moves the low watermark, and the limit is not
/// configurable. Topics the clients ask for are created on first use with 4 partitions; create
/// them explicitly for any other count.
public final class EmbeddedKafkaCluster: Sendable {
    private let client: RdKafkaClient
    private let cluster: UncheckedSendable<OpaquePointer>
    /// Brokers are numbered 1 through `brokerCount`.
    public let brokerCount: Int
    /// `host:port,…` for clients' `bootstrap.servers`.
    public let bootstrapServers: String

    /// Starts a cluster of `brokers` brokers on loopback.
    public init(brokers: Int = 1, logger: Logger = Logger(label: "callstream.embedded-kafka")) throws(KafkaError) {
        // The handle is only the mock cluster's anchor; it never produces.
        let client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: ["log_level": "3"], context: ClientContext(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            rd_kafka_destroy(client.handle)
            throw KafkaError(code: .configuration, message: "could not start a mock cluster of \(brokers) brokers")
        }
        self.client = client
        self.cluster = UncheckedSendable(cluster)
        self.brokerCount = brokers
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    /// Creates a topic (the mock ignores topic configs such as compaction).
    public func createTopic(_ topic: KafkaTopicSpecification) throws(KafkaError) {
        let error = rd_kafka_mock_topic_create(cluster.value, topic.name, topic.partitions, min(topic.replicationFactor, Int32(brokerCount)))
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: "create topic \(topic.name)") }
    }

    /// Creates a topic of `partitions` partitions.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        try createTopic(KafkaTopicSpecification(name: name, partitions: partitions, replicationFactor: replicationFactor))
    }

    /// Takes broker `id` down: connections close and new ones are refused until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster.value, id), "broker \(id) down")
    }

    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster.value, id), "broker \(id) up")
    }

    /// Delays every answer of broker `id` by `roundTripTime`.
    public func setRoundTripTime(_ roundTripTime: Duration, broker id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster.value, id, Int32(roundTripTime.milliseconds)), "broker \(id) rtt")
    }

    /// Makes the next requests of type `api` (to any broker) fail with `errors`, one each.
    public func pushRequestErrors(_ api: KafkaAPIKey, _ errors: [KafkaBrokerError]) {
        let raw = errors.map { rd_kafka_resp_err_t(rawValue: $0.rawValue) }
        raw.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster.value, api.rawValue, $0.count, $0.baseAddress) }
    }

    /// Clears injected errors for `api`.
    public func clearRequestErrors(_ api: KafkaAPIKey) {
        rd_kafka_mock_clear_request_errors(cluster.value, api.rawValue)
    }

    /// Makes every request for `topic` fail with `error`; `nil` clears it.
    public func setTopicError(_ topic: String, error: KafkaBrokerError?) {
        rd_kafka_mock_topic_set_error(cluster.value, topic, rd_kafka_resp_err_t(rawValue: error?.rawValue ?? 0))
    }

    /// Moves the leadership of a partition to broker `id`.
    public func setPartitionLeader(topic: String, partition: Int32, broker id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(cluster.value, topic, partition, id), "leader of \(topic)[\(partition)]")
    }

    /// Makes broker `id` the coordinator of consumer group `group`.
    public func setGroupCoordinator(_ group: String, broker id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_coordinator_set(cluster.value, "group", group, id), "coordinator of \(group)")
    }

    /// Stops the cluster, within `timeout`. Clients still connected see their brokers vanish.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        let cluster = self.cluster
        let client = self.client
        _ = await Blocking.run(timeout: timeout) { rd_kafka_mock_cluster_destroy(cluster.value) }
        await client.destroy(timeout: timeout)
    }

    private func check(_ error: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, context: what) }
    }
}
