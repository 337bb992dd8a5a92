/// A message read from a partition.
public struct KafkaMessage: Sendable, Hashable {
    /// The topic's interned name, referred to without reference counting: the table of interned
    /// names keeps every instance alive for the life of the process.
    private unowned(unsafe) var topicName: KafkaTopicName
    public var topic: String {
        get { topicName.name }
        set { topicName = KafkaTopicName.interned(newValue) }
    }
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: KafkaHeaders
    /// The message's timestamp in epoch milliseconds (CreateTime or LogAppendTime), if the broker has one.
    public var timestampMilliseconds: Int64?
    /// What the consumer's ``KafkaConsumerConfiguration/messageDecoder`` made of the message on
    /// the polling thread, if one is set; not part of equality or hashing.
    public var decoded: (any AnyObject & Sendable)?

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
        headers: KafkaHeaders = [], timestampMilliseconds: Int64? = nil, decoded: (any AnyObject & Sendable)? = nil
    ) {
        self.init(
            topicName: KafkaTopicName.interned(topic), partition: partition, offset: offset, key: key, value: value,
            headers: headers, timestampMilliseconds: timestampMilliseconds, decoded: decoded
        )
    }

    init(
        topicName: KafkaTopicName, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
        headers: KafkaHeaders = [], timestampMilliseconds: Int64? = nil, decoded: (any AnyObject & Sendable)? = nil
    ) {
        self.topicName = topicName
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
        self.decoded = decoded
    }

    /// The key decoded as UTF-8.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    /// The value decoded as UTF-8.
    public var valueString: String { String(decoding: value, as: UTF8.self) }
    /// The partition this message came from.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    public static func == (lhs: KafkaMessage, rhs: KafkaMessage) -> Bool {
        lhs.topic == rhs.topic && lhs.partition == rhs.partition && lhs.offset == rhs.offset && lhs.key == rhs.key
            && lhs.value == rhs.value && lhs.headers == rhs.headers && lhs.timestampMilliseconds == rhs.timestampMilliseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(topic)
        hasher.combine(partition)
        hasher.combine(offset)
        hasher.combine(key)
        hasher.combine(value)
        hasher.combine(headers)
        hasher.combine(timestampMilliseconds)
    }
}
