import CallEvents

/// One directory entry as stored on the directory topic: key = E.164 number, value = a JSON object
/// of string values (numbers and booleans are kept as their JSON text); an empty value deletes.
public struct DirectoryEntry: Sendable, Hashable {
    public var number: String
    /// `nil` for a deletion (tombstone).
    public var variables: [String: String]?

    public init(number: String, variables: [String: String]?) {
        self.number = number
        self.variables = variables
    }

    /// Decodes a topic message's value (`[]` is a tombstone).
    public init(number: String, value: [UInt8]) throws(IntakeError) {
        self.number = number
        if value.isEmpty {
            self.variables = nil
            return
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: value)
        } catch {
            throw .invalidDirectoryEntry("the value is not JSON: \(error.message)")
        }
        switch parsed {
        case .null:
            self.variables = nil
        case .object(let object):
            self.variables = try Self.strings(object)
        default:
            throw .invalidDirectoryEntry("the value is \(parsed.typeName), expected an object of strings")
        }
    }

    /// The value to publish: a JSON object with sorted keys, or empty for a deletion.
    public var value: [UInt8] {
        guard let variables else { return [] }
        var writer = JSONWriter(reservingCapacity: 128)
        writer.object(JSONObject(members: variables.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .string($0.value)) }))
        return writer.takeBytes()
    }

    static func strings(_ object: JSONObject) throws(IntakeError) -> [String: String] {
        var result: [String: String] = [:]
        for member in object.members {
            switch member.value {
            case .string(let text): result[member.key] = text
            case .number, .bool:
                var writer = JSONWriter(reservingCapacity: 16)
                writer.value(member.value)
                result[member.key] = String(decoding: writer.takeBytes(), as: UTF8.self)
            case .null: continue
            default: throw .invalidDirectoryEntry("variable \"\(member.key)\" is \(member.value.typeName), expected a string")
            }
        }
        return result
    }
}
