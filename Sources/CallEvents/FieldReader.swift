/// Typed access to one member value during decoding, with errors that name the field's path.
///
/// `null` reads as absent everywhere: senders use it for "not known".
struct FieldReader {
    let path: String

    func string(_ value: JSONValue, _ key: String) throws(CallEventsError) -> String? {
        switch value {
        case .null: return nil
        case .string(let string): return string
        default: throw .wrongFieldType(field(key), expected: "a string", got: value.typeName)
        }
    }

    func bool(_ value: JSONValue, _ key: String) throws(CallEventsError) -> Bool? {
        switch value {
        case .null: return nil
        case .bool(let bool): return bool
        default: throw .wrongFieldType(field(key), expected: "a boolean", got: value.typeName)
        }
    }

    func object(_ value: JSONValue, _ key: String) throws(CallEventsError) -> JSONObject? {
        switch value {
        case .null: return nil
        case .object(let object): return object
        default: throw .wrongFieldType(field(key), expected: "an object", got: value.typeName)
        }
    }

    func number(_ value: JSONValue, _ key: String) throws(CallEventsError) -> JSONNumber? {
        switch value {
        case .null: return nil
        case .number(let number): return number
        default: throw .wrongFieldType(field(key), expected: "a number", got: value.typeName)
        }
    }

    /// An integer: a JSON integer, an integral float (`1.7e12`) or a string of digits (seen from
    /// senders that quote large numbers).
    func integer(_ value: JSONValue, _ key: String) throws(CallEventsError) -> Int64? {
        switch value {
        case .null: return nil
        case .number(let number):
            if let integer = number.exactInt64Value { return integer }
            throw .wrongFieldType(field(key), expected: "an integer", got: "the number \(number.literal)")
        case .string(let string):
            if let integer = Int64(string) { return integer }
            throw .wrongFieldType(field(key), expected: "an integer", got: "a string")
        default:
            throw .wrongFieldType(field(key), expected: "an integer", got: value.typeName)
        }
    }

    func field(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    func nested(_ key: String) -> FieldReader {
        FieldReader(path: field(key))
    }
}
