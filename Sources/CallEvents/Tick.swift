/// A stream-time marker written by a worker into a quiet partition, so that emission decisions
/// stay in the topic and a replay decides the same way.
///
/// Its JSON form: `{"event":"callstream_tick","at_ms":1732500000000}` (other members are allowed
/// and kept, e.g. the writer's name). It belongs to no call.
public struct Tick: Sendable, Hashable {
    /// Wall-clock time of the writer, epoch ms; it becomes stream time when read.
    public var atMs: Int64
    /// Members other than `event` and `at_ms`, kept as sent.
    public var unknownFields: JSONObject

    public init(atMs: Int64, unknownFields: JSONObject = JSONObject()) {
        self.atMs = atMs
        self.unknownFields = unknownFields
    }

    /// The message bytes a worker writes: `{"event":"callstream_tick","at_ms":N}`.
    public static func encode(atMs: Int64) -> [UInt8] {
        Array("{\"event\":\"callstream_tick\",\"at_ms\":\(atMs)}".utf8)
    }
}
