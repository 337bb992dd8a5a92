/// One message of a topic as the invariant checker needs it (independent of the Kafka client).
public struct TopicMessage: Sendable {
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [String: String]

    public init(partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headers: [String: String] = [:]) {
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
    }
}
