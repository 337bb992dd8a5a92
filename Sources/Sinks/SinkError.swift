/// The one error type of the `Sinks` module: callers switch on ``code``; messages may change.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidConfiguration = "invalid_configuration"
            case invalidRecord = "invalid_record"
            case unavailable
            case rejected
            case kafka
            case io
        }

        fileprivate let base: Base

        /// A configuration value is out of range or malformed.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// A message on the records topic is not a call record (dead-lettered at once).
        public static let invalidRecord = Code(base: .invalidRecord)
        /// The sink's destination is down or overloaded for now (retried).
        public static let unavailable = Code(base: .unavailable)
        /// The destination refused the record for good (dead-lettered at once).
        public static let rejected = Code(base: .rejected)
        /// A Kafka client could not be created or failed.
        public static let kafka = Code(base: .kafka)
        /// Reading or writing local files failed (retried).
        public static let io = Code(base: .io)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether trying again may succeed; the runner dead-letters non-retriable failures at once.
    public var isRetriable: Bool {
        switch code.base {
        case .unavailable, .io, .kafka: true
        case .invalidConfiguration, .invalidRecord, .rejected: false
        }
    }

    public var description: String { "\(code): \(message)" }
}
