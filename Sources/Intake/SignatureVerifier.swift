import Crypto

/// Checks a call-events webhook's HMAC-SHA256 signature against every configured secret, in constant time.
public struct SignatureVerifier: Sendable {
    private let scheme: SignatureScheme
    private let keys: [SymmetricKey]
    private let tolerance: Duration

    public init(configuration: SignatureConfiguration) throws(IntakeError) {
        guard !configuration.secrets.isEmpty else {
            throw .invalidConfiguration("signature verification is required but no secret is configured")
        }
        self.scheme = configuration.scheme
        self.keys = configuration.secrets.map { SymmetricKey(data: Array($0.utf8)) }
        self.tolerance = configuration.tolerance
    }

    /// Verifies `header` (the signature header's value, `nil` when absent) for `body` at
    /// `nowMilliseconds` (epoch ms); throws 401 codes.
    public func verify(body: [UInt8], header: String?, nowMilliseconds: Int64) throws(IntakeError) {
        guard let header, !header.isEmpty else {
            throw IntakeError(.missingSignature, "the request has no signature header")
        }
        let parsed = try Self.parse(header, scheme: scheme)
        if let timestampMilliseconds = parsed.timestampMilliseconds {
            let skew = abs(nowMilliseconds - timestampMilliseconds)
            if skew > tolerance.totalMilliseconds {
                throw IntakeError(.expiredSignature, "the signature's timestamp is \(skew / 1000) s away from now (tolerance \(tolerance.totalMilliseconds / 1000) s)")
            }
        }
        var message: [UInt8] = []
        switch scheme {
        case .timestampedDigest:
            message.reserveCapacity(body.count + parsed.timestampText.utf8.count)
            message.append(contentsOf: body)
            message.append(contentsOf: parsed.timestampText.utf8)
        case .timestampedV0:
            message.reserveCapacity(body.count + parsed.timestampText.utf8.count + 1)
            message.append(contentsOf: parsed.timestampText.utf8)
            message.append(UInt8(ascii: "."))
            message.append(contentsOf: body)
        case .plainHex:
            message = body
        }
        // Every key and every candidate is tried, so the time taken does not say which matched.
        var valid = false
        for key in keys {
            for digest in parsed.digests {
                if HMAC<SHA256>.isValidAuthenticationCode(digest, authenticating: message, using: key) { valid = true }
            }
        }
        guard valid else { throw IntakeError(.invalidSignature, "the signature does not match the body") }
    }

    /// Signs `body` as a sender would (tests, load generators): the header value for `scheme`.
    public static func sign(body: [UInt8], secret: String, scheme: SignatureScheme, timestampMilliseconds: Int64) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        switch scheme {
        case .timestampedDigest:
            let timestamp = String(timestampMilliseconds)
            let mac = HMAC<SHA256>.authenticationCode(for: body + Array(timestamp.utf8), using: key)
            return "v=\(timestamp),d=\(Hex.encode(mac))"
        case .timestampedV0:
            let timestamp = String(timestampMilliseconds / 1000)
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body, using: key)
            return "t=\(timestamp),v0=\(Hex.encode(mac))"
        case .plainHex:
            return Hex.encode(HMAC<SHA256>.authenticationCode(for: body, using: key))
        }
    }

    private struct Parsed {
        var timestampText = ""
        var timestampMilliseconds: Int64?
        var digests: [[UInt8]] = []
    }

    private static func parse(_ header: String, scheme: SignatureScheme) throws(IntakeError) -> Parsed {
        var parsed = Parsed()
        let malformed = IntakeError(.malformedSignature, "the signature header is not of the form \(scheme.form)")
        if scheme == .plainHex {
            var text = Substring(header).trimmingSpaces
            if text.hasPrefix("sha256=") { text = text.dropFirst("sha256=".count) }
            guard let digest = Hex.decode(text), digest.count == 32 else { throw malformed }
            parsed.digests = [digest]
            return parsed
        }
        let (timestampName, digestName) = scheme == .timestampedDigest ? ("v", "d") : ("t", "v0")
        for part in header.split(separator: ",") {
            guard let equals = part.firstIndex(of: "=") else { throw malformed }
            let name = part[..<equals].trimmingSpaces
            let value = part[part.index(after: equals)...].trimmingSpaces
            if name == timestampName {
                guard let number = Int64(value), parsed.timestampMilliseconds == nil else { throw malformed }
                parsed.timestampText = String(value)
                let (milliseconds, overflow) = number.multipliedReportingOverflow(by: scheme == .timestampedV0 ? 1000 : 1)
                guard !overflow else { throw malformed }
                parsed.timestampMilliseconds = milliseconds
            } else if name == digestName {
                guard let digest = Hex.decode(value), digest.count == 32 else { throw malformed }
                parsed.digests.append(digest)
            }
        }
        guard parsed.timestampMilliseconds != nil, !parsed.digests.isEmpty else { throw malformed }
        return parsed
    }
}
