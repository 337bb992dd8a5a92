import Configuration
import Foundation

/// How `callstream config check` shows a value without its secrets.
enum SecretMask {
    static let mask = "****"

    /// The value as YAML would write it, secrets masked.
    static func render(_ content: ConfigContent, _ secrecy: ConfigurationKey.Secrecy) -> String {
        switch content {
        case .string(let value):
            return quoted(secrecy == .secret && !value.isEmpty ? mask : maskingURLPassword(value))
        case .stringArray(let values):
            return "[" + values.map { quoted(masked(item: $0, secrecy)) }.joined(separator: ", ") + "]"
        case .int(let value): return secrecy == .secret ? mask : String(value)
        case .double(let value): return secrecy == .secret ? mask : String(value)
        case .bool(let value): return String(value)
        case .intArray(let values): return "[" + values.map { String($0) }.joined(separator: ", ") + "]"
        case .doubleArray(let values): return "[" + values.map { String($0) }.joined(separator: ", ") + "]"
        case .boolArray(let values): return "[" + values.map { String($0) }.joined(separator: ", ") + "]"
        case .bytes, .byteChunkArray: return mask
        }
    }

    private static func masked(item: String, _ secrecy: ConfigurationKey.Secrecy) -> String {
        switch secrecy {
        case .secret:
            return mask
        case .secretValuesByName:
            guard let equals = item.firstIndex(of: "=") else { return maskingURLPassword(item) }
            let name = item[..<equals].lowercased()
            let isSecret = ["password", "secret", "token", "credential"].contains { name.contains($0) }
            return isSecret ? String(item[..<equals]) + "=" + mask : maskingURLPassword(item)
        case .none:
            return maskingURLPassword(item)
        }
    }

    /// `postgres://user:pw@host/db` → `postgres://user:****@host/db`.
    static func maskingURLPassword(_ value: String) -> String {
        guard let scheme = value.range(of: "://") else { return value }
        let authorityEnd = value[scheme.upperBound...].firstIndex(where: { "/?#".contains($0) }) ?? value.endIndex
        let authority = value[scheme.upperBound..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return value }
        return String(value[..<value.index(after: colon)]) + mask + String(value[at...])
    }

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
