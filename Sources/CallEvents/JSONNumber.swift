/// A JSON number kept as its literal text, so that writing it back reproduces the sender's bytes.
public struct JSONNumber: Sendable, CustomStringConvertible {
    /// The literal as it appeared in the document, e.g. `120`, `12.5`, `1.7e12`.
    public let literal: String

    /// Wraps a literal that is already known to be a valid JSON number.
    init(validLiteral: String) {
        self.literal = validLiteral
    }

    /// An integer number.
    public init(_ value: Int64) {
        self.literal = String(value)
    }

    /// The value when the literal is an integer that fits `Int64` (no fraction, no exponent).
    public var int64Value: Int64? {
        Int64(literal)
    }

    /// The value as a `Double` (may round).
    public var doubleValue: Double {
        Double(literal) ?? .nan
    }

    /// The value as whole milliseconds: integers as they are, integral floats (`1.7e12`) converted.
    public var exactInt64Value: Int64? {
        if let value = int64Value { return value }
        let value = doubleValue
        guard value.isFinite, value.rounded() == value,
              value >= -9.2e18, value <= 9.2e18 else { return nil }
        return Int64(value)
    }

    public var description: String { literal }
}

extension JSONNumber: Hashable {
    /// `1`, `1.0` and `1e0` are equal after parsing; integers compare exactly.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.literal == rhs.literal { return true }
        if let left = lhs.int64Value, let right = rhs.int64Value { return left == right }
        return lhs.doubleValue == rhs.doubleValue
    }

    public func hash(into hasher: inout Hasher) {
        // Hash the double so that every pair `==` calls equal hashes equally.
        let value = doubleValue
        hasher.combine(value == 0 ? 0 : value)
    }
}
