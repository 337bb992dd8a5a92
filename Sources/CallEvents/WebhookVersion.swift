/// The call data webhook format of an event: `v1` (the platform's page) unless the body says
/// otherwise in `webhook_version`. Unknown versions are kept as sent.
public struct WebhookVersion: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The platform page's format (no `webhook_version` field).
    public static let v1 = WebhookVersion(rawValue: "v1")
    /// The newer format (`"webhook_version":"v2"`).
    public static let v2 = WebhookVersion(rawValue: "v2")

    public var description: String { rawValue }
}
