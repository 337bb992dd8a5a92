import ArgumentParser
import ConfigurationReference
import Foundation

/// `callstream config check`: the options the executables would run with, from flags, environment
/// and file, with secrets masked; fails naming every unknown key, variable or flag and invalid value.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check CallStream's configuration.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration (secrets masked); fail on unknown keys and invalid values.",
            discussion: "Reads what callstream-intake and callstream-worker read: flags, then the environment (INTAKE_PORT), then the file."
        )

        @Option(help: "The YAML file (default: $CONFIG_FILE_PATH, else config/callstream.yaml when present).")
        var configFilePath: String?

        @Argument(parsing: .allUnrecognized, help: "Options as the executables take them, e.g. --intake-port 9000.")
        var options: [String] = []

        func run() async throws {
            let arguments = ["callstream"] + options + (configFilePath.map { ["--config-file-path", $0] } ?? [])
            let check = try await ConfigurationCheck(ConfigurationSources(arguments: arguments, environment: ProcessInfo.processInfo.environment))
            print(check.rendered)
            guard check.problems.isEmpty else {
                FileHandle.standardError.write(Data(check.problems.map { "error: \($0)\n" }.joined().utf8))
                throw ExitCode.failure
            }
        }
    }
}
