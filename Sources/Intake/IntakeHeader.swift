/// The Kafka headers the intake puts on every raw event (workers and sinks may read them without decoding bodies).
public enum IntakeHeader {
    /// The webhook's `event` (`call_started`, …, or `call_inbound` for audited inbound requests).
    public static let event = "event"
    /// `v1` or `v2` (or whatever the body said in `webhook_version`).
    public static let webhookVersion = "webhook-version"
    /// When the intake received the request, epoch milliseconds.
    public static let receivedAt = "received-at-ms"
    /// Lower-case hex SHA-256 of the body, as published.
    public static let bodySHA256 = "body-sha256"
    /// The intake's request id (also in its logs as `hb.request.id`).
    public static let requestID = "request-id"
    /// `true` when the signature was verified, `false` when verification is off.
    public static let signatureVerified = "signature-verified"
}
