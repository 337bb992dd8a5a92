/// A consumer group as the brokers describe it (ListGroups + DescribeGroups).
public struct KafkaGroupDescription: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public var memberID: String
        public var clientID: String
        public var clientHost: String
        /// The partitions assigned to the member (decoded from its ConsumerProtocol assignment).
        public var assignment: [KafkaTopicPartition]
    }

    public var group: String
    /// `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Empty` or `Dead`.
    public var state: String
    /// The protocol type (`consumer` for consumer groups).
    public var protocolType: String
    public var members: [Member]
}
