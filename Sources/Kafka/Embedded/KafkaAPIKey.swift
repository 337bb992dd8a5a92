/// Kafka protocol request types, for injecting errors into the embedded cluster.
public struct KafkaAPIKey: Hashable, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let produce = KafkaAPIKey(rawValue: 0)
    public static let fetch = KafkaAPIKey(rawValue: 1)
    public static let listOffsets = KafkaAPIKey(rawValue: 2)
    public static let metadata = KafkaAPIKey(rawValue: 3)
    public static let offsetCommit = KafkaAPIKey(rawValue: 8)
    public static let offsetFetch = KafkaAPIKey(rawValue: 9)
    public static let findCoordinator = KafkaAPIKey(rawValue: 10)
    public static let joinGroup = KafkaAPIKey(rawValue: 11)
    public static let heartbeat = KafkaAPIKey(rawValue: 12)
    public static let leaveGroup = KafkaAPIKey(rawValue: 13)
    public static let syncGroup = KafkaAPIKey(rawValue: 14)
    public static let initProducerID = KafkaAPIKey(rawValue: 22)
}

/// Kafka protocol error codes a broker answers with, for fault injection.
public struct KafkaBrokerError: Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let notLeaderForPartition = KafkaBrokerError(rawValue: 6)
    public static let requestTimedOut = KafkaBrokerError(rawValue: 7)
    public static let networkException = KafkaBrokerError(rawValue: 13)
    public static let coordinatorNotAvailable = KafkaBrokerError(rawValue: 15)
    public static let notCoordinator = KafkaBrokerError(rawValue: 16)
    public static let notEnoughReplicas = KafkaBrokerError(rawValue: 19)
    public static let rebalanceInProgress = KafkaBrokerError(rawValue: 27)
    public static let unknownMemberID = KafkaBrokerError(rawValue: 25)
}
