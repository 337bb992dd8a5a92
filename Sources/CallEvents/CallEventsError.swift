/// Why a webhook body or a stored event could not be decoded.
///
/// Callers switch on ``code`` (stable); ``message`` names the problem for people and may improve.
public struct CallEventsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case emptyBody, notJSON, notAnObject, missingEvent, unknownEvent, missingPayload, missingCallID, wrongFieldType
        }

        private let base: Base
        /// The field concerned, as a dotted path (`call.start_timestamp`), for ``wrongFieldType(_:)``.
        public let field: String?

        private init(_ base: Base, field: String? = nil) {
            self.base = base
            self.field = field
        }

        /// The body has no bytes (or only whitespace).
        public static let emptyBody = Code(.emptyBody)
        /// The body is not valid JSON (or not valid UTF-8).
        public static let notJSON = Code(.notJSON)
        /// The body is JSON but not an object.
        public static let notAnObject = Code(.notAnObject)
        /// There is no `event` field.
        public static let missingEvent = Code(.missingEvent)
        /// The `event` names no event this version knows.
        public static let unknownEvent = Code(.unknownEvent)
        /// The event's payload object (`call`, `mid_call`, `sms`, …) is absent.
        public static let missingPayload = Code(.missingPayload)
        /// There is no `call_id`, or it is empty.
        public static let missingCallID = Code(.missingCallID)
        /// A known field has the wrong JSON type.
        public static func wrongFieldType(_ field: String) -> Code { Code(.wrongFieldType, field: field) }

        /// Whether this is a ``wrongFieldType(_:)`` code, whatever its field.
        public var isWrongFieldType: Bool { base == .wrongFieldType }

        public var description: String {
            if let field { return "\(base.rawValue)(\(field))" }
            return base.rawValue
        }
    }

    /// The stable reason.
    public let code: Code
    /// A message that names the problem.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static let emptyBody = CallEventsError(.emptyBody, "the body is empty")

    static func notJSON(_ detail: String) -> CallEventsError {
        CallEventsError(.notJSON, "the body is not valid JSON: \(detail)")
    }

    static func notAnObject(_ typeName: String) -> CallEventsError {
        CallEventsError(.notAnObject, "the body is \(typeName), expected a JSON object")
    }

    static let missingEvent = CallEventsError(.missingEvent, "the body has no \"event\" string field")

    static func unknownEvent(_ name: String) -> CallEventsError {
        CallEventsError(.unknownEvent, "unknown event \"\(name)\"")
    }

    static func missingPayload(event: String, key: String) -> CallEventsError {
        CallEventsError(.missingPayload, "event \(event) has no \"\(key)\" object")
    }

    static func missingCallID(event: String) -> CallEventsError {
        CallEventsError(.missingCallID, "event \(event) has no call_id (or it is empty)")
    }

    static func wrongFieldType(_ field: String, expected: String, got: String) -> CallEventsError {
        CallEventsError(.wrongFieldType(field), "field \(field): expected \(expected), got \(got)")
    }
}
