import CRdKafka

extension KafkaAdmin {
    /// Every consumer group the brokers know, with members and their assignments
    /// (`rd_kafka_list_groups`: ListGroups, then DescribeGroups).
    ///
    /// The embedded cluster implements neither request: there this throws
    /// ``KafkaError/Code/unsupportedByBroker``.
    public func describeGroups(timeout: Duration = .seconds(10)) async throws -> [KafkaGroupDescription] {
        let handle = UncheckedSendable(client.handle)
        let result: Result<[KafkaGroupDescription], KafkaError> = await Blocking.run {
            var raw: UnsafePointer<rd_kafka_group_list>?
            let error = rd_kafka_list_groups(handle.value, nil, &raw, timeout.timeoutMilliseconds)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let list = raw?.pointee else {
                return .failure(KafkaError(rdKafka: error, context: "list groups"))
            }
            defer { rd_kafka_group_list_destroy(raw) }
            return .success((0..<Int(list.group_cnt)).map { Self.group(list.groups[$0]) }.sorted { $0.group < $1.group })
        }
        return try result.get()
    }

    /// `group`'s committed offsets in `partitions` (ListConsumerGroupOffsets, i.e. OffsetFetch at
    /// the group coordinator), with each commit's metadata. Never joins the group.
    public func committedOffsets(group: String, partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws -> [KafkaCommittedOffset] {
        guard !partitions.isEmpty else { return [] }
        let handle = UncheckedSendable(client.handle)
        let result: Result<[KafkaCommittedOffset], KafkaError> = await Blocking.run {
            let wanted = TopicPartitionList.make(partitions)
            defer { rd_kafka_topic_partition_list_destroy(wanted) }
            var request = rd_kafka_ListConsumerGroupOffsets_new(group, wanted)
            defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }
            let queue = rd_kafka_queue_new(handle.value)
            defer { rd_kafka_queue_destroy(queue) }
            let options = rd_kafka_AdminOptions_new(handle.value, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            var errorText = [CChar](repeating: 0, count: 512)
            rd_kafka_AdminOptions_set_request_timeout(options, timeout.timeoutMilliseconds, &errorText, errorText.count)
            rd_kafka_ListConsumerGroupOffsets(handle.value, &request, 1, options, queue)
            guard let event = rd_kafka_queue_poll(queue, timeout.timeoutMilliseconds + 1000) else {
                return .failure(KafkaError(code: .timedOut, message: "committed offsets of \(group): no answer within \(timeout)"))
            }
            defer { rd_kafka_event_destroy(event) }
            let eventError = rd_kafka_event_error(event)
            guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(rdKafka: eventError, context: "committed offsets of \(group)"))
            }
            var count = 0
            guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(event), &count),
                  count > 0, let first = groups[0] else { return .success([]) }
            if let groupError = rd_kafka_group_result_error(first) {
                return .failure(KafkaError(rdKafka: rd_kafka_error_code(groupError), context: "committed offsets of \(group)"))
            }
            return .success(Self.committed(rd_kafka_group_result_partitions(first)))
        }
        return try result.get()
    }

    private static func group(_ info: rd_kafka_group_info) -> KafkaGroupDescription {
        let members = (0..<Int(info.member_cnt)).map { index in
            let member = info.members[index]
            let bytes = member.member_assignment.map {
                Array(UnsafeRawBufferPointer(start: $0, count: Int(member.member_assignment_size)))
            } ?? []
            return KafkaGroupDescription.Member(
                memberID: String(cString: member.member_id), clientID: String(cString: member.client_id),
                clientHost: String(cString: member.client_host), assignment: MemberAssignment.decode(bytes) ?? []
            )
        }
        return KafkaGroupDescription(
            group: String(cString: info.group), state: info.state.map { String(cString: $0) } ?? "",
            protocolType: info.protocol_type.map { String(cString: $0) } ?? "", members: members
        )
    }

    private static func committed(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [KafkaCommittedOffset] {
        guard let list, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elements[index]
            let metadata = element.metadata.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: element.metadata_size), as: UTF8.self)
            } ?? ""
            return KafkaCommittedOffset(
                topicPartition: KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                offset: element.offset >= 0 ? element.offset : nil, metadata: metadata
            )
        }.sorted { $0.topicPartition < $1.topicPartition }
    }
}
