/// A consumer group's committed position in one partition, with the metadata string the
/// committing member attached (CallStream's clients put their identity there).
public struct KafkaCommittedOffset: Hashable, Sendable {
    public var topicPartition: KafkaTopicPartition
    /// The next offset the group reads; `nil` when the group never committed this partition.
    public var offset: Int64?
    /// The commit's metadata string (empty when none).
    public var metadata: String

    public init(topicPartition: KafkaTopicPartition, offset: Int64?, metadata: String = "") {
        self.topicPartition = topicPartition
        self.offset = offset
        self.metadata = metadata
    }
}
