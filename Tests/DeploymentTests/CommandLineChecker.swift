import Foundation

/// Checks a command line against an ArgumentParser executable's own description of its commands
/// (`--experimental-dump-help`): the subcommand exists and runs, every flag is one of its flags,
/// options have values and required arguments are given.
struct CommandLineChecker {
    struct Command: Decodable {
        var commandName: String
        var subcommands: [Command]?
        var defaultSubcommand: String?
        var arguments: [Argument]?
    }

    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        var kind: String
        var isOptional: Bool
        var isRepeating: Bool
        var names: [Name]?
        var parsingStrategy: String

        var longNames: [String] { (names ?? []).filter { $0.kind == "long" }.map(\.name) }
    }

    private struct ToolInfo: Decodable {
        var command: Command
    }

    let executable: String
    let root: Command

    /// Asks the built executable for its commands.
    init(executable: String) async throws {
        let result = try await run(executable, ["--experimental-dump-help"])
        guard result.status == 0 else { throw CheckerError(message: "\(executable) --experimental-dump-help failed: \(result.errors)") }
        self.executable = executable
        root = try JSONDecoder().decode(ToolInfo.self, from: Data(result.output.utf8)).command
    }

    /// What is wrong with `arguments` (the command line without the executable); empty when nothing.
    func problems(_ arguments: [String]) -> [String] {
        var command = root
        var path = [executable]
        var rest = arguments[...]
        while let word = rest.first, !word.hasPrefix("-"), let sub = command.subcommands?.first(where: { $0.commandName == word }) {
            command = sub
            path.append(word)
            rest = rest.dropFirst()
        }
        let name = path.joined(separator: " ")
        if let subcommands = command.subcommands, !subcommands.isEmpty, command.defaultSubcommand == nil {
            return ["\(name) needs a subcommand (\(subcommands.map(\.commandName).joined(separator: ", "))), got \(rest.first ?? "none")"]
        }
        let declared = command.arguments ?? []
        if declared.contains(where: { $0.parsingStrategy == "allUnrecognized" }) { return [] }
        var problems: [String] = []
        var given: Set<String> = []
        var positionals = 0
        while let word = rest.popFirst() {
            guard word.hasPrefix("--") else {
                positionals += 1
                continue
            }
            let flag = String(word.dropFirst(2).prefix { $0 != "=" })
            guard let argument = declared.first(where: { $0.longNames.contains(flag) }) else {
                problems.append("\(name): unknown flag --\(flag)")
                continue
            }
            given.insert(flag)
            if argument.kind == "option", !word.contains("=") {
                guard let value = rest.popFirst(), !value.hasPrefix("--") else {
                    problems.append("\(name): --\(flag) needs a value")
                    continue
                }
            }
        }
        for argument in declared where !argument.isOptional && argument.kind == "option" && given.isDisjoint(with: argument.longNames) {
            problems.append("\(name): --\(argument.longNames.first ?? "?") is required")
        }
        let positional = declared.filter { $0.kind == "positional" }
        let required = positional.filter { !$0.isOptional }.count
        if positionals < required { problems.append("\(name): \(required) arguments needed, \(positionals) given") }
        if positionals > positional.count, !positional.contains(where: \.isRepeating) {
            problems.append("\(name): \(positionals) arguments given, it takes \(positional.count)")
        }
        return problems
    }
}

struct CheckerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
