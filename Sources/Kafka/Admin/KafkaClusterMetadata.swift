/// Brokers, topics and partitions as the cluster describes them.
public struct KafkaClusterMetadata: Sendable, Hashable {
    public struct Broker: Sendable, Hashable {
        public var id: Int32
        public var host: String
        public var port: Int32
    }

    public struct Partition: Sendable, Hashable {
        public var id: Int32
        /// The leader's broker id, `-1` when it has none.
        public var leader: Int32
        public var replicas: [Int32]
        /// The first offset still in the partition.
        public var lowWatermark: Int64
        /// The offset the next message will get.
        public var highWatermark: Int64
        /// Messages in the partition (`high - low`; compaction may make fewer readable).
        public var messageCount: Int64 { highWatermark - lowWatermark }
    }

    public struct Topic: Sendable, Hashable {
        public var name: String
        public var partitions: [Partition]
    }

    public var brokers: [Broker]
    public var topics: [Topic]

    /// The topic named `name`, if the cluster has it.
    public func topic(_ name: String) -> Topic? { topics.first { $0.name == name } }
}
