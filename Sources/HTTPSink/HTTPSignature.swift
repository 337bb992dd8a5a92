import Crypto
import Foundation

/// The request signature: `v1=` and the lower-case hex HMAC-SHA256 of `"<timestamp>.<body>"`.
public enum HTTPSignature {
    public static func sign(body: [UInt8], timestamp: String, secret: String) -> String {
        var message = Array(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message += body
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "v1=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is right for `body` and `timestamp` (constant-time comparison).
    public static func verify(_ signature: String, body: [UInt8], timestamp: String, secret: String) -> Bool {
        let expected = Array(sign(body: body, timestamp: timestamp, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
