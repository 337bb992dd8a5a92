import CallEvents

/// One accepted `mid_call` event of a call, as much as the record and duplicate detection need:
/// `call_id` and `agent` are the call's, so they are not repeated per event.
struct MidCallEntry: Sendable {
    var atMs: Int64?
    /// Arrival rank among the call's accepted events: the tie-break after `atMs`.
    var arrival: Int32
    var data: MidCallData
    var unknownFields: JSONObject

    /// The entry for `midCall`, whose data and extra members are moved, not copied: a copy would
    /// retain each of its strings, and the payload is dropped right after.
    init(taking midCall: consuming MidCallPayload, arrival: Int32) {
        atMs = midCall.atMs
        self.arrival = arrival
        data = .other(eventType: nil, data: nil)
        unknownFields = JSONObject()
        swap(&data, &midCall.data)
        swap(&unknownFields, &midCall.unknownFields)
    }

    /// Events without a time sort after all timed ones.
    var sortKey: Int64 { atMs ?? .max }

    /// Equal after parsing: same time, same data, same extra members.
    func sameEvent(as other: MidCallEntry) -> Bool {
        atMs == other.atMs && data == other.data && unknownFields == other.unknownFields
    }
}
