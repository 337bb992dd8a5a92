import CRdKafka

/// The one error type of the Kafka module.
///
/// Callers switch on ``code``, which is stable; ``message`` may improve freely.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// A stable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case configuration
            case queueFull
            case messageTimedOut
            case transport
            case timedOut
            case shutDown
            case notRunning
            case unsupportedByBroker
            case topicAlreadyExists
            case unknownTopicOrPartition
            case rebalanceInProgress
            case deliveryUnconfirmed
            case broker
        }

        fileprivate let base: Base

        /// A librdkafka configuration property was rejected.
        public static let configuration = Code(base: .configuration)
        /// The producer's local queue is full (`queue.buffering.max.messages`/`kbytes`).
        public static let queueFull = Code(base: .queueFull)
        /// A message was not acknowledged within `message.timeout.ms`.
        public static let messageTimedOut = Code(base: .messageTimedOut)
        /// The broker could not be reached, or the connection broke.
        public static let transport = Code(base: .transport)
        /// A request did not complete within its time limit.
        public static let timedOut = Code(base: .timedOut)
        /// The client is shutting down or has shut down.
        public static let shutDown = Code(base: .shutDown)
        /// The client's `run()` has not been started, so nothing would serve its events.
        public static let notRunning = Code(base: .notRunning)
        /// The broker does not implement this request (the embedded cluster lacks some admin APIs).
        public static let unsupportedByBroker = Code(base: .unsupportedByBroker)
        /// A topic to create already exists.
        public static let topicAlreadyExists = Code(base: .topicAlreadyExists)
        /// The topic or partition is not known to the cluster.
        public static let unknownTopicOrPartition = Code(base: .unknownTopicOrPartition)
        /// A group rebalance is in progress; commit again after it.
        public static let rebalanceInProgress = Code(base: .rebalanceInProgress)
        /// librdkafka reported a message delivered without the offset it was written at: it counted
        /// it as written because a later message of its partition was (an "implicit ack"). A broker
        /// that enforces idempotent sequences makes that safe; one that does not (the embedded
        /// cluster) may have dropped the message. Sending it again at worst writes a duplicate.
        public static let deliveryUnconfirmed = Code(base: .deliveryUnconfirmed)
        /// Any other error that librdkafka or the broker reported (see ``KafkaError/rdKafkaCode``).
        public static let broker = Code(base: .broker)

        public var description: String { String(describing: base) }
    }

    /// The stable code.
    public let code: Code
    /// What happened, for people.
    public let message: String
    /// librdkafka's `rd_kafka_resp_err_t` value, when the error came from librdkafka.
    public let rdKafkaCode: Int32?

    /// Whether trying the same operation again later may succeed.
    public var isRetriable: Bool {
        switch code.base {
        case .queueFull, .messageTimedOut, .transport, .timedOut, .rebalanceInProgress, .deliveryUnconfirmed: return true
        case .broker:
            guard let raw = rdKafkaCode else { return false }
            return Self.retriableBrokerCodes.contains(raw)
        default: return false
        }
    }

    public var description: String {
        if let raw = rdKafkaCode { return "KafkaError.\(code): \(message) (librdkafka \(raw))" }
        return "KafkaError.\(code): \(message)"
    }

    init(code: Code, message: String, rdKafkaCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.rdKafkaCode = rdKafkaCode
    }

    /// Maps a librdkafka error code to a ``KafkaError``.
    init(rdKafka error: rd_kafka_resp_err_t, context: String? = nil) {
        let text = String(cString: rd_kafka_err2str(error))
        let message = context.map { "\($0): \(text)" } ?? text
        self.init(code: Self.code(for: error), message: message, rdKafkaCode: error.rawValue)
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer, context: String? = nil) {
        let code = rd_kafka_error_code(error)
        let text = String(cString: rd_kafka_error_string(error))
        let retriable = rd_kafka_error_is_retriable(error) != 0
        rd_kafka_error_destroy(error)
        let mapped = Self.code(for: code)
        self.init(
            code: mapped == .broker && retriable ? .transport : mapped,
            message: context.map { "\($0): \(text)" } ?? text,
            rdKafkaCode: code.rawValue
        )
    }

    static func shutDown(_ what: String) -> KafkaError {
        KafkaError(code: .shutDown, message: "\(what) is shut down")
    }

    private static func code(for error: rd_kafka_resp_err_t) -> Code {
        switch error {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL: return .queueFull
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT: return .messageTimedOut
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            return .transport
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
            return .timedOut
        case RD_KAFKA_RESP_ERR__DESTROY: return .shutDown
        case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION, RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE: return .unsupportedByBroker
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: return .topicAlreadyExists
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            return .unknownTopicOrPartition
        case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
            return .rebalanceInProgress
        case RD_KAFKA_RESP_ERR__INVALID_ARG: return .configuration
        default: return .broker
        }
    }

    private static let retriableBrokerCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION.rawValue,
    ]
}
