/// JSON string literals, for the few JSON bodies and log lines this module writes by hand.
enum JSONText {
    /// `text` as a JSON string literal (quotes included).
    static func quoted(_ text: String) -> String {
        var result = "\""
        appendQuoted(text, to: &result)
        return result + "\""
    }

    /// Appends `text` escaped for the inside of a JSON string.
    static func appendQuoted(_ text: String, to result: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
    }
}
