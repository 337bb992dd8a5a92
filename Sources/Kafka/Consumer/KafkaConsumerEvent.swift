/// What a ``KafkaConsumer`` hands its caller, in the order it happened.
public enum KafkaConsumerEvent: Sendable, Hashable {
    /// A message from an assigned partition.
    case message(KafkaMessage)
    /// The group gave this member these partitions; their messages follow.
    case partitionsAssigned([KafkaTopicPartition])
    /// The group takes these partitions away. No message of theirs follows this event, and the
    /// revocation completes only when the caller asks for the next event (or after
    /// ``KafkaConsumerConfiguration/revocationTimeout``): the time to commit what is safe.
    case partitionsRevoked([KafkaTopicPartition])
}
