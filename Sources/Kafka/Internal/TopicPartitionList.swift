import CRdKafka

/// Bridges between Swift partition lists and `rd_kafka_topic_partition_list_t`.
enum TopicPartitionList {
    /// A new C list holding `offsets`; the caller destroys it.
    static func make(_ offsets: [KafkaTopicPartitionOffset]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(max(1, offsets.count)))!
        for entry in offsets {
            let element = rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition)!
            element.pointee.offset = entry.offset
        }
        return list
    }

    static func make(_ partitions: [KafkaTopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        make(partitions.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.stored) })
    }

    static func entries(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [(KafkaTopicPartitionOffset, rd_kafka_resp_err_t)] {
        guard let list, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elements[index]
            return (
                KafkaTopicPartitionOffset(topic: String(cString: element.topic), partition: element.partition, offset: element.offset),
                element.err
            )
        }
    }

    static func offsets(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [KafkaTopicPartitionOffset] {
        entries(list).map(\.0)
    }

    /// Sets the offset of each partition of `list` that `offsets` names.
    static func setOffsets(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, _ offsets: [KafkaTopicPartition: Int64]) {
        guard !offsets.isEmpty, let elements = list.pointee.elems else { return }
        for index in 0..<Int(list.pointee.cnt) {
            let partition = KafkaTopicPartition(topic: String(cString: elements[index].topic), partition: elements[index].partition)
            if let offset = offsets[partition] { elements[index].offset = offset }
        }
    }

    /// The first per-partition error in `list`, if any.
    static func firstError(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>, context: String) -> KafkaError? {
        for (entry, error) in entries(list) where error != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(rdKafka: error, context: "\(context) \(entry.topicPartition)")
        }
        return nil
    }
}
