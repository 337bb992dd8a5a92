import CRdKafka
import Foundation

extension TopicPartitionList {
    /// A new C list holding `offsets`, each carrying `metadata` as its commit metadata (the list
    /// owns the copy: librdkafka frees it with the list); the caller destroys it.
    static func make(_ offsets: [KafkaTopicPartitionOffset], metadata: String?) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = make(offsets)
        guard let metadata, !metadata.isEmpty, let elements = list.pointee.elems else { return list }
        for index in 0..<Int(list.pointee.cnt) {
            elements[index].metadata = UnsafeMutableRawPointer(strdup(metadata))
            elements[index].metadata_size = strlen(metadata)
        }
        return list
    }
}
