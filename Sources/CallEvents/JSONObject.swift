/// A JSON object that keeps its members in the sender's order (duplicate keys included: the last
/// one wins on lookup, as in most parsers).
public struct JSONObject: Sendable, ExpressibleByDictionaryLiteral {
    /// One `"key": value` member.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in document order.
    public var members: [Member]

    public init(members: [Member] = []) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    public var isEmpty: Bool { members.isEmpty }

    /// The value of the last member named `key`.
    public subscript(key: String) -> JSONValue? {
        get { members.last(where: { $0.key == key })?.value }
        set {
            members.removeAll { $0.key == key }
            if let newValue { members.append(Member(key: key, value: newValue)) }
        }
    }

    /// The members with duplicate keys collapsed (last wins), sorted by the keys' UTF-8 bytes:
    /// the canonical form used for equality and for deterministic output.
    public var canonicalMembers: [Member] {
        var sorted = members.enumerated().sorted { lhs, rhs in
            let order = JSONObject.compare(lhs.element.key, rhs.element.key)
            return order == 0 ? lhs.offset < rhs.offset : order < 0
        }.map(\.element)
        var index = sorted.count - 1
        while index > 0 {
            if sorted[index - 1].key == sorted[index].key { sorted.remove(at: index - 1) }
            index -= 1
        }
        return sorted
    }

    /// Byte-wise comparison of UTF-8 (`String`'s `<` compares by Unicode scalars, which agrees,
    /// but spelling it out keeps the order independent of any future String change).
    static func compare(_ lhs: String, _ rhs: String) -> Int {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (l?, r?): if l != r { return l < r ? -1 : 1 }
            }
        }
    }
}

extension JSONObject: Hashable {
    /// Member order does not matter: two objects are equal when their canonical members are.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        if lhs.members == rhs.members { return true }
        return lhs.canonicalMembers == rhs.canonicalMembers
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = canonicalMembers
        hasher.combine(canonical.count)
        for member in canonical { hasher.combine(member) }
    }
}
