public import Configuration
import Foundation

/// Where every CallStream executable reads its options from, strongest first: flags
/// (`--intake-port 9000`), the environment (`INTAKE_PORT=9000`), then a YAML file (`--config-file-path`,
/// `CONFIG_FILE_PATH`, else `config/callstream.yaml`, which may then be missing), then the code's defaults.
public struct ConfigurationSources: Sendable {
    /// The file read when neither `--config-file-path` nor `CONFIG_FILE_PATH` names one.
    public static let defaultFilePath = "config/callstream.yaml"

    /// The command line, program name first.
    public var arguments: [String]
    public var environment: [String: String]

    public init(arguments: [String], environment: [String: String]) {
        self.arguments = arguments
        self.environment = environment
    }

    /// This process's command line and environment.
    public static var process: ConfigurationSources {
        ConfigurationSources(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
    }

    /// The YAML file; `isExplicit` when a flag or variable named it (then it must exist).
    public var file: (path: String, isExplicit: Bool) {
        let named = CommandLineArgumentsProvider(arguments: arguments).value(forKey: "config.filePath")
            ?? EnvironmentVariablesProvider(environmentVariables: environment).value(forKey: "config.filePath")
        return named.map { ($0, true) } ?? (Self.defaultFilePath, false)
    }

    /// The providers in order: flags, environment, file. Secret options (``ConfigurationKey/Secrecy``)
    /// are marked secret, so swift-configuration's access logs redact them. A file named explicitly
    /// must exist unless `allowingMissingFile`.
    public func providers(allowingMissingFile: Bool = false) async throws -> [any ConfigProvider] {
        let secrets = ConfigurationKeys.all.filter { $0.secrecy != .none }
        let secretFlags = Set(secrets.map(\.flagName))
        let secretVariables = Set(secrets.map(\.environmentName))
        let file = self.file
        return [
            CommandLineArgumentsProvider(arguments: arguments, secretsSpecifier: .dynamic { key, _ in secretFlags.contains(key) }),
            EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .dynamic { key, _ in secretVariables.contains(key.uppercased()) }
            ),
            try await FileProvider<YAMLSnapshot>(config: ConfigReader(provider: InMemoryProvider(values: [
                "filePath": .init(.string(file.path), isSecret: false), "allowMissing": .init(.bool(allowingMissingFile || !file.isExplicit), isSecret: false),
            ]))),
        ]
    }

    /// A reader over ``providers()``.
    public func reader(accessReporter: (any AccessReporter)? = nil) async throws -> ConfigReader {
        ConfigReader(providers: try await providers(), accessReporter: accessReporter)
    }
}

extension ConfigProvider {
    fileprivate func value(forKey key: String) -> String? {
        guard case .string(let value)? = try? value(forKey: AbsoluteConfigKey(ConfigKey(key)), type: .string).value?.content
        else { return nil }
        return value
    }
}
