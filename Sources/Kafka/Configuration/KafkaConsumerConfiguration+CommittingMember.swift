import Foundation

extension KafkaConsumerConfiguration {
    /// A consumer-group member that commits exactly the offsets its owner decides (a worker's
    /// watermarks, a sink's written records): no automatic commits; a revocation waits up to
    /// `drainTimeout` + 5 s for the owner to drain and commit; each commit names its client, host and
    /// process, so `callstream status` can list members where the brokers cannot.
    public static func committingMember(
        bootstrapServers: String, topic: String, groupID: String, clientID: String,
        sessionTimeout: Duration, heartbeatInterval: Duration, drainTimeout: Duration, shutdownTimeout: Duration,
        properties: [String: String]
    ) -> KafkaConsumerConfiguration {
        var consumer = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, subscription: .group(topics: [topic]), groupID: groupID)
        consumer.clientID = clientID
        consumer.sessionTimeout = sessionTimeout
        consumer.heartbeatInterval = heartbeatInterval
        consumer.autoCommitInterval = nil
        consumer.revocationTimeout = drainTimeout + .seconds(5)
        consumer.shutdownTimeout = shutdownTimeout
        consumer.properties = properties
        consumer.commitMetadata = "\(clientID) \(ProcessInfo.processInfo.hostName) pid \(getpid())"
        return consumer
    }
}
