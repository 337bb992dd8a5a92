import CRdKafka
import Foundation

/// A message as the polling thread holds it, before it becomes a ``KafkaMessage``: its bytes are
/// librdkafka's own, readable without a copy, and only during the
/// ``KafkaConsumerConfiguration/messageDecoder`` call that lends it (it is noncopyable, so it
/// cannot outlive that call).
///
/// A decoder reads what it needs and copies only that: ``headers()`` in particular costs
/// librdkafka an allocation per header, so a decoder that can tell from the key or the value that
/// it does not need them should not ask.
public struct KafkaPolledMessage: ~Copyable {
    private let raw: UnsafeMutablePointer<rd_kafka_message_t>
    private let topicName: KafkaTopicName

    init(_ raw: UnsafeMutablePointer<rd_kafka_message_t>, topicName: KafkaTopicName) {
        self.raw = raw
        self.topicName = topicName
    }

    /// The topic the message was read from.
    public var topic: String { topicName.name }

    public var partition: Int32 { raw.pointee.partition }
    public var offset: Int64 { raw.pointee.offset }

    /// The key's bytes, valid during the decoder's call only; `nil` for a message without a key.
    public var key: UnsafeRawBufferPointer? {
        raw.pointee.key.map { UnsafeRawBufferPointer(start: $0, count: raw.pointee.key_len) }
    }

    /// The value's bytes, valid during the decoder's call only (empty for a null value).
    public var value: UnsafeRawBufferPointer {
        raw.pointee.payload.map { UnsafeRawBufferPointer(start: $0, count: raw.pointee.len) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// The message's timestamp in epoch milliseconds, if the broker has one.
    public var timestampMilliseconds: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(raw, &type)
        return timestamp >= 0 ? timestamp : nil
    }

    /// The headers, copied (packed into one buffer). librdkafka parses them on this first request,
    /// with an allocation per header.
    public func headers() -> KafkaHeaders {
        var headers = KafkaHeaders()
        var list: OpaquePointer?
        guard rd_kafka_message_headers(raw, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return headers }
        // Two passes over librdkafka's list: sizes first, so the packed headers allocate once.
        func forEachHeader(_ body: (UnsafePointer<CChar>, UnsafeRawPointer?, Int) -> Void) {
            for index in 0..<rd_kafka_header_cnt(list) {
                var name: UnsafePointer<CChar>?
                var value: UnsafeRawPointer?
                var size = 0
                guard rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let name else { continue }
                body(name, value, size)
            }
        }
        var count = 0
        var bytes = 0
        forEachHeader { name, _, size in
            count += 1
            bytes += strlen(name) + size
        }
        headers.reserveCapacity(headers: count, bytes: bytes)
        forEachHeader { name, value, size in
            headers.append(key: UnsafeRawBufferPointer(start: name, count: strlen(name)), value: value.map { UnsafeRawBufferPointer(start: $0, count: size) })
        }
        return headers
    }

    /// The whole message, key, value and headers copied, with `decoded` attached.
    public func message(decoded: (any AnyObject & Sendable)? = nil) -> KafkaMessage {
        KafkaMessage(
            topicName: topicName, partition: partition, offset: offset, key: key.map { Array($0) }, value: Array(value),
            headers: headers(), timestampMilliseconds: timestampMilliseconds, decoded: decoded
        )
    }

    /// Only where the message stands (topic, partition, offset, timestamp), with `decoded`
    /// attached: no key, value or headers are copied, for a decoder that took all it needs.
    public func position(decoded: (any AnyObject & Sendable)?) -> KafkaMessage {
        KafkaMessage(topicName: topicName, partition: partition, offset: offset, key: nil, value: [], timestampMilliseconds: timestampMilliseconds, decoded: decoded)
    }
}
