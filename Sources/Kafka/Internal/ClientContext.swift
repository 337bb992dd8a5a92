import CRdKafka
import Logging

/// What librdkafka's C callbacks reach through the client's opaque pointer.
///
/// The callbacks are set before `rd_kafka_new` and never change, so reading them from
/// librdkafka's threads needs no lock.
final class ClientContext: @unchecked Sendable {
    let logger: Logger
    let onDelivery: (@Sendable (UnsafePointer<rd_kafka_message_t>) -> Void)?
    let onRebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> Void)?

    init(
        logger: Logger,
        onDelivery: (@Sendable (UnsafePointer<rd_kafka_message_t>) -> Void)? = nil,
        onRebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> Void)? = nil
    ) {
        self.logger = logger
        self.onDelivery = onDelivery
        self.onRebalance = onRebalance
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientContext? {
        opaque.map { Unmanaged<ClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}
