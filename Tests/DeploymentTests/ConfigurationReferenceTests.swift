import Configuration
import ConfigurationReference
import Foundation
import Testing

/// `config/callstream.yaml`, `ConfigurationKeys.all` and what the code reads name the same options
/// with the same defaults. Each failure names the key and the place it is missing from.
@Suite("Configuration reference (no broker)")
struct ConfigurationReferenceTests {
    static let referencePath = "config/callstream.yaml"
    static let schemaPath = "ConfigurationKeys.all (Sources/ConfigurationReference/ConfigurationKeys.swift)"
    static let componentsPath = "ConfigurationComponents.all"

    /// The reference file's options: key → (line, the environment variable in its comment).
    func referenceOptions() throws -> [String: (line: Int, variable: String?)] {
        let text = try repositoryFile(Self.referencePath)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var options: [String: (line: Int, variable: String?)] = [:]
        for leaf in try YAMLKeys.leaves(ofYAML: text) {
            let line = lines[leaf.line - 1]
            let comment = line.range(of: "# ").map { line[$0.upperBound...].trimmingCharacters(in: .whitespaces) }
            options[leaf.key] = (leaf.line, comment)
        }
        return options
    }

    @Test("Every option of ConfigurationKeys.all is in config/callstream.yaml with its variable, and nothing else is")
    func referenceFileListsEveryOption() throws {
        let reference = try referenceOptions()
        for option in ConfigurationKeys.all {
            guard let entry = reference[option.key] else {
                Issue.record("\(option.key) is in \(Self.schemaPath) but not in \(Self.referencePath): add `\(option.key.split(separator: ".").last!): …  # \(option.environmentName)`")
                continue
            }
            #expect(entry.variable == option.environmentName, "\(Self.referencePath):\(entry.line): \(option.key) must end with `# \(option.environmentName)`")
        }
        for key in reference.keys.sorted() where ConfigurationKeys.named(key) == nil {
            Issue.record("\(Self.referencePath):\(reference[key]!.line): \(key) is not in \(Self.schemaPath)")
        }
    }

    @Test("Every key the code reads is an option, every option is read, and the code's defaults are the listed ones")
    func codeReadsExactlyTheOptions() {
        let (reads, errors) = ConfigurationComponents.readAll([InMemoryProvider(values: [:])])
        #expect(errors.isEmpty, "the defaults are refused: \(errors)")
        for key in reads.keys.sorted() where ConfigurationKeys.named(key) == nil {
            Issue.record("\(key), read at \(reads[key]!.metadata.sourceLocation), is not in \(Self.schemaPath) nor, probably, in \(Self.referencePath)")
        }
        for option in ConfigurationKeys.all {
            guard let event = reads[option.key] else {
                Issue.record("\(option.key) is in \(Self.schemaPath) but no component of \(Self.componentsPath) reads it")
                continue
            }
            let codeDefault = (try? event.result.get())?.content
            #expect(codeDefault == option.defaultValue, "\(option.key): the code's default is \(String(describing: codeDefault)), \(Self.schemaPath) says \(option.defaultValue)")
        }
    }

    @Test("config/callstream.yaml states the default of every option")
    func referenceFileStatesTheDefaults() async throws {
        let file = try await FileProvider<YAMLSnapshot>(config: ConfigReader(provider: InMemoryProvider(values: [
            "filePath": .init(.string(packageRoot.appendingPathComponent(Self.referencePath).path), isSecret: false),
        ])))
        let (reads, errors) = ConfigurationComponents.readAll([file])
        #expect(errors.isEmpty, "\(Self.referencePath) is refused: \(errors)")
        for option in ConfigurationKeys.all {
            let read = reads[option.key].flatMap { (try? $0.result.get())?.content }
            #expect(read == option.defaultValue, "\(Self.referencePath): \(option.key) is \(String(describing: read)), the default is \(option.defaultValue)")
        }
    }

    @Test("Each option's variable and flag are the names swift-configuration's providers look up")
    func variableAndFlagNames() {
        for option in ConfigurationKeys.all {
            let environment = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [option.environmentName: "x"]))
            #expect(environment.string(forKey: ConfigKey(option.key)) == "x", "\(option.key) is not read from \(option.environmentName)")
            let flags = ConfigReader(provider: CommandLineArgumentsProvider(arguments: ["callstream-intake", option.flagName, "x"]))
            #expect(flags.string(forKey: ConfigKey(option.key)) == "x", "\(option.key) is not read from \(option.flagName)")
        }
    }

    /// A backstop for readers no component runs: every key literal read in Sources must end an option's key.
    @Test("Every key literal read through a ConfigReader in Sources is (the end of) an option")
    func keyLiteralsInSources() throws {
        let sources = packageRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        let pattern = try Regex(#"(?:forKey|scoped\(to)\s*:\s*"([A-Za-z0-9.]+)""#)
        var found = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                let literal = String(match.output[1].substring ?? "")
                found += 1
                let isOption = ConfigurationKeys.all.contains { $0.key == literal || $0.key.hasSuffix("." + literal) || $0.key.hasPrefix(literal + ".") || $0.key.contains("." + literal + ".") }
                let isFileLocator = ["filePath", "allowMissing", "config.filePath"].contains(literal)
                #expect(isOption || isFileLocator, "\(file.path.replacingOccurrences(of: packageRoot.path + "/", with: "")): \"\(literal)\" is read but no option of \(Self.schemaPath) has that key")
            }
        }
        #expect(found > 20, "the scan found only \(found) key literals: has the reading code's shape changed?")
    }
}
