/// Decodes a consumer group member's assignment: Kafka's ConsumerProtocol `MemberAssignment`
/// (int16 version, then an array of (string topic, array of int32 partition), then user data),
/// big-endian, arrays prefixed by an int32 count, strings by an int16 length.
enum MemberAssignment {
    /// The assigned partitions; `nil` when the bytes are not a ConsumerProtocol assignment.
    static func decode(_ bytes: [UInt8]) -> [KafkaTopicPartition]? {
        if bytes.isEmpty { return [] }
        var reader = Reader(bytes: bytes)
        guard reader.int16() != nil, let topicCount = reader.int32(), topicCount >= 0 else { return nil }
        var result: [KafkaTopicPartition] = []
        for _ in 0..<topicCount {
            guard let topic = reader.string(), let partitionCount = reader.int32(), partitionCount >= 0 else { return nil }
            for _ in 0..<partitionCount {
                guard let partition = reader.int32() else { return nil }
                result.append(KafkaTopicPartition(topic: topic, partition: partition))
            }
        }
        return result.sorted()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func int16() -> Int16? {
            guard let raw = take(2) else { return nil }
            return Int16(bitPattern: UInt16(raw[0]) << 8 | UInt16(raw[1]))
        }

        mutating func int32() -> Int32? {
            guard let raw = take(4) else { return nil }
            return Int32(bitPattern: raw.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }

        mutating func string() -> String? {
            guard let length = int16(), length >= 0, let raw = take(Int(length)) else { return nil }
            return String(decoding: raw, as: UTF8.self)
        }

        private mutating func take(_ count: Int) -> [UInt8]? {
            guard count <= bytes.count - index else { return nil }
            defer { index += count }
            return Array(bytes[index..<index + count])
        }
    }
}
