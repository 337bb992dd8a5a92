/// The one error type of the `Worker` module: callers switch on ``code``; messages may change.
public struct WorkerError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidConfiguration = "invalid_configuration"
            case kafka
            case drainTimedOut = "drain_timed_out"
        }

        fileprivate let base: Base

        /// A configuration value is out of range.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// A Kafka client could not be created or failed.
        public static let kafka = Code(base: .kafka)
        /// Outputs in flight were not acknowledged within the drain timeout.
        public static let drainTimedOut = Code(base: .drainTimedOut)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
