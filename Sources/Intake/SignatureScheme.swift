/// How a webhook's signature header is formed. vox.ai's own header and scheme are unconfirmed, so
/// the intake offers the forms its peers use.
public enum SignatureScheme: String, Sendable, Hashable, CaseIterable {
    /// `v=<unix ms>,d=<hex HMAC-SHA256(body + timestamp)>` (Retell's `x-retell-signature`).
    case timestampedDigest = "v-d"
    /// `t=<unix s>,v0=<hex HMAC-SHA256("<t>.<body>")>` (ElevenLabs' `ElevenLabs-Signature`).
    case timestampedV0 = "t-v0"
    /// `<hex HMAC-SHA256(body)>`, optionally prefixed `sha256=`; no timestamp, so no replay bound.
    case plainHex = "hex"
}
