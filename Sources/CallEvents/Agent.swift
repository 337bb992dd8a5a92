/// The v2 `agent: {agent_id, agent_version}` object, shared by every payload.
enum Agent {
    /// Reads the known members into `id` and `version`; returns the others.
    static func read(_ agent: JSONObject, reader: FieldReader, id: inout String?, version: inout Int64?) throws(CallEventsError) -> JSONObject {
        var extra: [JSONObject.Member] = []
        for member in agent.members {
            switch member.key {
            case "agent_id": id = try reader.string(member.value, member.key)
            case "agent_version": version = try reader.integer(member.value, member.key)
            default: extra.append(member)
            }
        }
        return JSONObject(members: extra)
    }
}
