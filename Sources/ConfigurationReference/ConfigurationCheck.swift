import Configuration
import Foundation

/// What `callstream config check` finds: every option's effective value (secrets masked) and where it
/// came from, and every problem: unknown keys in the file, unknown variables and flags, invalid values.
public struct ConfigurationCheck: Sendable {
    /// One option as the executables would see it.
    public struct Entry: Sendable {
        public let option: ConfigurationKey
        /// The value as YAML would write it, secrets masked.
        public let value: String
        /// `flag`, `environment`, `file` or `default`.
        public let source: String
    }

    public let filePath: String
    public let entries: [Entry]
    /// Each a sentence naming the key, e.g. `unknown key intake.publishTimoutMs (did you mean intake.publishTimeoutMs?)`.
    public let problems: [String]

    /// Checks the options `sources` give, as every component of CallStream would read them.
    public init(_ sources: ConfigurationSources) async throws {
        let file = sources.file
        filePath = file.path
        var problems: [String] = []
        if let text = try? String(contentsOfFile: file.path, encoding: .utf8) {
            for leaf in try YAMLKeys.leaves(ofYAML: text) where ConfigurationKeys.named(leaf.key) == nil {
                problems.append("\(file.path):\(leaf.line): " + Self.unknown("key", leaf.key, among: ConfigurationKeys.all.map(\.key)))
            }
        } else if file.isExplicit {
            problems.append("\(file.path): no such file")
        }
        problems += Self.unknownVariables(sources.environment)
        problems += Self.unknownFlags(sources.arguments)

        let (reads, errors) = ConfigurationComponents.readAll(try await sources.providers(allowingMissingFile: true))
        problems += errors.map { "invalid value: \($0)" }
        entries = ConfigurationKeys.all.map { option in
            guard let event = reads[option.key] else {
                return Entry(option: option, value: SecretMask.render(option.defaultValue, option.secrecy), source: "default")
            }
            let content = (try? event.result.get())?.content ?? option.defaultValue
            let found = event.providerResults.first { (try? $0.result.get().value) != nil }
            return Entry(option: option, value: SecretMask.render(content, option.secrecy), source: found.map { Self.source($0.providerName) } ?? "default")
        }
        self.problems = problems
    }

    /// The effective configuration, one option per line: key, value, where it came from.
    public var rendered: String {
        let keyWidth = entries.map(\.option.key.count).max() ?? 0
        let valueWidth = min(48, entries.map(\.value.count).max() ?? 0)
        let lines = entries.map { entry in
            let source = entry.source == "environment" ? "environment \(entry.option.environmentName)" : entry.source
            return entry.option.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  "
                + (entry.value.count < valueWidth ? entry.value.padding(toLength: valueWidth, withPad: " ", startingAt: 0) : entry.value)
                + "  # " + source
        }
        return "# effective configuration: flags > environment > \(filePath) > defaults\n" + lines.joined(separator: "\n")
    }

    private static func unknown(_ kind: String, _ name: String, among known: [String]) -> String {
        "unknown \(kind) \(name)" + (KeySuggestion.closest(to: name, among: known).map { " (did you mean \($0)?)" } ?? "")
    }

    /// Variables that start like an option's section (`INTAKE_`, `WORKER_`, `KAFKA_`, …) but are no option.
    private static func unknownVariables(_ environment: [String: String]) -> [String] {
        let known = ConfigurationKeys.all.map(\.environmentName)
        let prefixes = Set(ConfigurationKeys.all.map { String($0.environmentName.prefix { $0 != "_" }) + "_" })
        return environment.keys.sorted()
            .filter { name in prefixes.contains { name.hasPrefix($0) } && !known.contains(name) }
            .map { unknown("environment variable", $0, among: known) }
    }

    private static func unknownFlags(_ arguments: [String]) -> [String] {
        let known = ConfigurationKeys.all.map(\.flagName) + ["--config-file-path"]
        return arguments.dropFirst()
            .filter { $0.hasPrefix("--") }
            .map { String($0.prefix { $0 != "=" }) }
            .filter { !known.contains($0) }
            .map { unknown("flag", $0, among: known) }
    }

    private static func source(_ providerName: String) -> String {
        switch providerName {
        case let name where name.hasPrefix("CommandLineArguments"): "flag"
        case let name where name.hasPrefix("EnvironmentVariables"): "environment"
        case let name where name.hasPrefix("FileProvider"): "file"
        default: providerName
        }
    }
}
