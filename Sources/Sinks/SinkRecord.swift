public import CallEvents

/// One completed call record as a ``RecordSink`` receives it: the worker's JSON, unchanged
/// (`CALL_RECORD.md`, schema version 1), with the fields a sink needs to be idempotent.
///
/// A record may arrive more than once (at-least-once delivery, replays); `(callID, revision)`
/// names it: keep the highest revision per call and ignore what you already hold.
public struct SinkRecord: Sendable, Hashable {
    /// `call_id`, also the records topic's key.
    public var callID: String
    /// `revision`: 1 for the first emission, +1 for each later change.
    public var revision: Int
    /// The record exactly as the worker wrote it (UTF-8 JSON object).
    public var json: [UInt8]
    /// `started_at_ms`, `ended_at_ms` when present (epoch ms).
    public var startedAtMs: Int64?
    public var endedAtMs: Int64?
    /// Where it was read: topic, partition, offset (`nil` when fed without a broker).
    public var source: SinkSource?

    /// Reads `call_id`, `revision` and the times from `json`; throws ``SinkError/Code/invalidRecord``
    /// when it is no record.
    public init(json: [UInt8], source: SinkSource? = nil) throws(SinkError) {
        let object: JSONObject
        do {
            guard let parsed = try JSONValue(parsing: json).objectValue else {
                throw SinkError(.invalidRecord, "the record is not a JSON object")
            }
            object = parsed
        } catch let error as SinkError {
            throw error
        } catch {
            throw SinkError(.invalidRecord, "the record is not JSON: \(error)")
        }
        guard let callID = object["call_id"]?.stringValue, !callID.isEmpty else {
            throw SinkError(.invalidRecord, "the record has no call_id")
        }
        guard let revision = object["revision"]?.numberValue?.exactInt64Value, revision > 0 else {
            throw SinkError(.invalidRecord, "the record has no positive revision")
        }
        self.callID = callID
        self.revision = Int(revision)
        self.json = json
        self.startedAtMs = object["started_at_ms"]?.numberValue?.exactInt64Value
        self.endedAtMs = object["ended_at_ms"]?.numberValue?.exactInt64Value
        self.source = source
    }

    /// The JSON as a string.
    public var jsonString: String { String(decoding: json, as: UTF8.self) }

    /// The record parsed, for sinks that want more fields.
    public func object() throws(SinkError) -> JSONObject {
        do {
            return try JSONValue(parsing: json).objectValue ?? JSONObject()
        } catch {
            throw SinkError(.invalidRecord, "the record is not JSON: \(error)")
        }
    }
}
