import Foundation

/// docker/Dockerfile as instructions per stage (continuation lines joined, comments dropped).
struct Dockerfile {
    struct Instruction {
        var keyword: String
        var arguments: String
    }

    /// Each stage's instructions, the `FROM` line first.
    let stages: [[Instruction]]

    init(_ text: String) {
        var stages: [[Instruction]] = []
        var logical = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") { continue }
            if trimmed.hasSuffix("\\") {
                logical += trimmed.dropLast() + " "
                continue
            }
            logical += trimmed
            let parts = logical.split(separator: " ", maxSplits: 1)
            logical = ""
            guard let keyword = parts.first?.uppercased() else { continue }
            let instruction = Instruction(keyword: keyword, arguments: parts.count > 1 ? String(parts[1]) : "")
            if keyword == "FROM" {
                stages.append([instruction])
            } else if !stages.isEmpty {
                stages[stages.count - 1].append(instruction)
            }
        }
        self.stages = stages
    }

    /// The commands a stage runs, each `&&`-joined part on its own, spaces normalised.
    func commands(ofStage index: Int) -> [String] {
        stages[index].filter { $0.keyword == "RUN" }.flatMap { splitCommands($0.arguments) }
    }
}

/// `a && b` → ["a", "b"], runs of spaces collapsed.
func splitCommands(_ line: String) -> [String] {
    line.components(separatedBy: "&&")
        .map { $0.split(separator: " ").joined(separator: " ") }
        .filter { !$0.isEmpty }
}

/// The lines of the first fenced code block after a Markdown heading.
func codeBlock(after heading: String, in markdown: String) -> [String]? {
    guard let start = markdown.range(of: "\n" + heading + "\n") else { return nil }
    let lines = markdown[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
    guard let open = lines.firstIndex(where: { $0.hasPrefix("```") }),
          let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else { return nil }
    return lines[(open + 1)..<close].map(String.init)
}
