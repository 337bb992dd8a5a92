import CallEvents
public import HTTPTypes
public import Hummingbird

/// The one error type of the Intake module: why a request was refused, or why the intake could not start.
///
/// Callers (and HTTP clients, through the JSON body `{"error": CODE, "message": …}`) switch on
/// ``code``, which is stable; ``message`` names the problem for people and may improve.
public struct IntakeError: Error, Sendable, CustomStringConvertible {
    /// A stable reason code; its ``rawValue`` is what the JSON error body carries.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case bodyTooLarge = "body_too_large"
            case emptyBody = "empty_body"
            case notJSON = "not_json"
            case notAnObject = "not_an_object"
            case missingEvent = "missing_event"
            case unknownEvent = "unknown_event"
            case missingPayload = "missing_payload"
            case missingCallID = "missing_call_id"
            case wrongFieldType = "wrong_field_type"
            case missingSignature = "missing_signature"
            case malformedSignature = "malformed_signature"
            case invalidSignature = "invalid_signature"
            case expiredSignature = "expired_signature"
            case brokerUnavailable = "broker_unavailable"
            case notReady = "not_ready"
            case invalidConfiguration = "invalid_configuration"
            case invalidDirectoryEntry = "invalid_directory_entry"
            case notFound = "not_found"
            case methodNotAllowed = "method_not_allowed"
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The body is larger than ``IntakeConfiguration/maximumBodyBytes`` (413).
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// The body is empty (400).
        public static let emptyBody = Code(.emptyBody)
        /// The body is not valid JSON or not UTF-8 (400).
        public static let notJSON = Code(.notJSON)
        /// The body is JSON but not an object (400).
        public static let notAnObject = Code(.notAnObject)
        /// There is no `event` string (400).
        public static let missingEvent = Code(.missingEvent)
        /// The `event` is not one the intake accepts (400).
        public static let unknownEvent = Code(.unknownEvent)
        /// The event's payload object is absent (400).
        public static let missingPayload = Code(.missingPayload)
        /// There is no `call_id`, or it is empty (400).
        public static let missingCallID = Code(.missingCallID)
        /// A field the intake reads has the wrong JSON type (400).
        public static let wrongFieldType = Code(.wrongFieldType)
        /// Signatures are required and the signature header is absent (401).
        public static let missingSignature = Code(.missingSignature)
        /// The signature header does not have the configured scheme's form (401).
        public static let malformedSignature = Code(.malformedSignature)
        /// No configured secret produces the signature (401).
        public static let invalidSignature = Code(.invalidSignature)
        /// The signed timestamp is outside the tolerance (401).
        public static let expiredSignature = Code(.expiredSignature)
        /// The broker did not acknowledge in time, is unreachable, or the producer queue is full (503, with `Retry-After`).
        public static let brokerUnavailable = Code(.brokerUnavailable)
        /// The intake is not ready: broker unreachable or directory not loaded (503).
        public static let notReady = Code(.notReady)
        /// A configuration value is invalid (at start-up).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A directory entry (file line, command argument) is invalid.
        public static let invalidDirectoryEntry = Code(.invalidDirectoryEntry)
        /// No route has this path (404).
        public static let notFound = Code(.notFound)
        /// The route exists but not with this method (405).
        public static let methodNotAllowed = Code(.methodNotAllowed)

        /// The code as it appears in JSON error bodies (`missing_call_id`).
        public var rawValue: String { base.rawValue }
        public var description: String { base.rawValue }

        /// The HTTP status a request refused with this code gets.
        public var status: HTTPResponse.Status {
            switch base {
            case .bodyTooLarge: .contentTooLarge
            case .missingSignature, .malformedSignature, .invalidSignature, .expiredSignature: .unauthorized
            case .brokerUnavailable, .notReady: .serviceUnavailable
            case .invalidConfiguration: .internalServerError
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            default: .badRequest
            }
        }
    }

    /// The stable reason.
    public let code: Code
    /// What is wrong, for people. Never contains secrets, bodies or phone numbers.
    public let message: String
    /// For ``Code/brokerUnavailable``: the `Retry-After` to send, in seconds.
    public let retryAfterSeconds: Int?

    init(_ code: Code, _ message: String, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "IntakeError.\(code): \(message)" }

    /// Maps a body problem found by CallEvents to the intake's code, keeping its message.
    init(_ error: CallEventsError) {
        let code: Code =
            switch error.code {
            case .emptyBody: .emptyBody
            case .notJSON: .notJSON
            case .notAnObject: .notAnObject
            case .missingEvent: .missingEvent
            case .unknownEvent: .unknownEvent
            case .missingPayload: .missingPayload
            case .missingCallID: .missingCallID
            default: .wrongFieldType
            }
        self.init(code, error.message)
    }

    static func bodyTooLarge(limit: Int) -> IntakeError {
        IntakeError(.bodyTooLarge, "the body is larger than \(limit) bytes")
    }

    static func brokerUnavailable(_ reason: String, retryAfterSeconds: Int) -> IntakeError {
        IntakeError(.brokerUnavailable, "the event was not acknowledged by the broker (\(reason)); retry later", retryAfterSeconds: retryAfterSeconds)
    }

    static func invalidConfiguration(_ message: String) -> IntakeError {
        IntakeError(.invalidConfiguration, message)
    }

    static func invalidDirectoryEntry(_ message: String) -> IntakeError {
        IntakeError(.invalidDirectoryEntry, message)
    }
}

extension IntakeError: HTTPResponseError {
    public var status: HTTPResponse.Status { code.status }

    /// `{"error": CODE, "message": …}` with the code's status (and `Retry-After` when set).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The JSON error response, without needing a request.
    public func response() -> Response {
        var writer = JSONWriter(reservingCapacity: 64 + message.utf8.count)
        writer.object(JSONObject(members: [
            .init(key: "error", value: .string(code.rawValue)),
            .init(key: "message", value: .string(message)),
        ]))
        let body = writer.takeBytes()
        var headers: HTTPFields = [.contentType: "application/json", .contentLength: String(body.count)]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: code.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
