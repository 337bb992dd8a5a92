/// The one error type of the Reliability module.
public struct ReliabilityError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidLog = "invalid_log"
            case invalidArgument = "invalid_argument"
            case connection
            case kafka
            case samples
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An acknowledgement log line could not be read.
        public static let invalidLog = Code(.invalidLog)
        /// A load or verify option is out of range.
        public static let invalidArgument = Code(.invalidArgument)
        /// The intake could not be reached or answered something that is not HTTP.
        public static let connection = Code(.connection)
        /// Reading a topic failed.
        public static let kafka = Code(.kafka)
        /// The sample calls could not be read.
        public static let samples = Code(.samples)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A connection problem is worth another attempt; the others are not.
    public var isRetriable: Bool { code == .connection }

    public var description: String { "\(code): \(message)" }
}
