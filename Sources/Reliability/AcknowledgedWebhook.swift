import CallEvents

/// One webhook the intake acknowledged (answered 2xx): the load generator's log line, the
/// invariant checker's input.
public struct AcknowledgedWebhook: Sendable, Hashable {
    public var callID: String
    /// The body's `event` (`call_started`, `mid_call`, …).
    public var event: String
    /// Lower-case hex SHA-256 of the body, the same as the intake's `body-sha256` header.
    public var bodySHA256: String
    /// The HTTP status the intake answered.
    public var status: Int

    public init(callID: String, event: String, bodySHA256: String, status: Int = 200) {
        self.callID = callID
        self.event = event
        self.bodySHA256 = bodySHA256
        self.status = status
    }

    /// `{"call_id":…,"event":…,"sha256":…,"status":…}` without the newline.
    public var jsonLine: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 160)
        writer.object(JSONObject(members: [
            .init(key: "call_id", value: .string(callID)),
            .init(key: "event", value: .string(event)),
            .init(key: "sha256", value: .string(bodySHA256)),
            .init(key: "status", value: .number(JSONNumber(Int64(status)))),
        ]))
        return writer.takeBytes()
    }

    /// Parses one log line written by ``jsonLine``.
    public init(jsonLine: [UInt8]) throws(ReliabilityError) {
        guard let object = (try? JSONValue(parsing: jsonLine))?.objectValue,
              let callID = object["call_id"]?.stringValue, let event = object["event"]?.stringValue,
              let hash = object["sha256"]?.stringValue
        else { throw ReliabilityError(.invalidLog, "not an acknowledgement line: \(String(decoding: jsonLine.prefix(120), as: UTF8.self))") }
        self.init(callID: callID, event: event, bodySHA256: hash, status: object["status"]?.numberValue?.int64Value.map { Int($0) } ?? 200)
    }
}
