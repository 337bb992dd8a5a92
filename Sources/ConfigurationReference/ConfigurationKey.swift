public import Configuration

/// One configuration option: its key, the default the code uses and how secret its value is.
/// Every option is one line of ``ConfigurationKeys/all`` and one line of `config/callstream.yaml`.
public struct ConfigurationKey: Sendable, Hashable {
    /// How `callstream config check` shows a value. Passwords inside URLs are masked whatever this says.
    public enum Secrecy: Sendable, Hashable {
        /// Shown as it is.
        case none
        /// Never shown.
        case secret
        /// A `name=value` list (librdkafka properties): a value is masked when its name mentions a
        /// password or secret (`sasl.password`, `ssl.key.password`, `sasl.oauthbearer.client.secret`).
        case secretValuesByName
    }

    /// The dotted key, e.g. `intake.publishTimeoutMs`.
    public let key: String
    /// The default the code uses when no flag, variable or file sets the key.
    public let defaultValue: ConfigContent
    public let secrecy: Secrecy

    public init(_ key: String, _ defaultValue: ConfigContent, _ secrecy: Secrecy = .none) {
        self.key = key
        self.defaultValue = defaultValue
        self.secrecy = secrecy
    }

    /// The environment variable that sets it: `intake.publishTimeoutMs` → `INTAKE_PUBLISH_TIMEOUT_MS`
    /// (as swift-configuration's `EnvironmentVariablesProvider` spells it).
    public var environmentName: String {
        words.map { $0.uppercased() }.joined(separator: "_")
    }

    /// The command-line flag that sets it: `intake.publishTimeoutMs` → `--intake-publish-timeout-ms`
    /// (as `CommandLineArgumentsProvider` spells it).
    public var flagName: String {
        "--" + words.map { $0.lowercased() }.joined(separator: "-")
    }

    /// The key's words: components split where a lower-case letter meets an upper-case one.
    private var words: [String] {
        key.split(separator: ".").flatMap { component -> [String] in
            var words: [String] = [""]
            var previous: Character?
            for character in component {
                if let previous, previous.isLowercase, character.isUppercase { words.append("") }
                words[words.count - 1].append(character.isLetter || character.isNumber ? character : "_")
                previous = character
            }
            return words
        }
    }
}
