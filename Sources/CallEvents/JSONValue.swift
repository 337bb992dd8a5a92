/// A JSON value as sent, kept losslessly so that payload fields we do not model round-trip.
///
/// Objects keep the sender's member order (``JSONObject``); numbers keep their literal text
/// (``JSONNumber``). Equality is semantic: object member order and number spelling do not matter,
/// so two deliveries that are "equal after parsing" compare equal.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Parses one JSON document (RFC 8259); UTF-8 must be valid, nesting is limited to 512 levels.
    public init(parsing bytes: [UInt8]) throws(CallEventsError) {
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(CallEventsError) -> JSONValue in
            var parser = JSONParser(buffer)
            return try parser.parseDocument()
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The array, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The JSON type's name, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
