@testable import Kafka
import Testing

@Suite("ConsumerProtocol member assignment decoding")
struct MemberAssignmentTests {
    @Test func decodesTopicsAndPartitions() {
        // version 0; 2 topics: "ab" [0, 3], "c" [7]; empty user data.
        let bytes: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 2, 0x61, 0x62, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0x63, 0, 0, 0, 1, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff]
        #expect(MemberAssignment.decode(bytes) == [
            KafkaTopicPartition(topic: "ab", partition: 0), KafkaTopicPartition(topic: "ab", partition: 3), KafkaTopicPartition(topic: "c", partition: 7),
        ])
    }

    @Test func emptyIsNoPartitionsAndTruncatedIsNil() {
        #expect(MemberAssignment.decode([]) == [])
        #expect(MemberAssignment.decode([0, 0, 0, 0, 0, 1, 0, 5, 0x61]) == nil)
    }
}
