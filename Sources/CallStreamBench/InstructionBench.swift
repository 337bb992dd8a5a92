import Foundation

/// Instructions per event of the call assembler, counted by callgrind on `callstream-instructions`
/// (built beside this binary): a figure that does not move with machine noise.
struct InstructionBench {
    func run() throws -> [BenchResult] {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = directory.appendingPathComponent("callstream-instructions").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure(message: "\(binary) is missing: swift build -c release --product callstream-instructions")
        }
        // valgrind 3.19 cannot read the DWARF 5 the toolchain writes: count on a copy without it.
        let stripped = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-instructions-\(UUID().uuidString)").path
        _ = try shell("objcopy", "--strip-debug", binary, stripped)
        defer { try? FileManager.default.removeItem(atPath: stripped) }
        return [
            try count(stripped, mode: "open", events: 10_000,
                      name: "assembler, instructions per `mid_call` event (callgrind; 10,000 events of 500 open calls)"),
            try count(stripped, mode: "completed", events: 10_501,
                      name: "assembler, instructions per event of complete calls (callgrind; 500 calls, 10,501 events, records encoded)"),
        ]
    }

    private func count(_ binary: String, mode: String, events: Int, name: String) throws -> BenchResult {
        let output = try shell(
            "sh", "-c",
            "SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*Measured*' \(binary) \(mode) 2>&1"
        )
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Collected :") }),
              let total = Double(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") else {
            throw BenchFailure(message: "callgrind printed no count: \(output.suffix(300))")
        }
        return BenchResult(name: name, value: total / Double(events), unit: "instructions/event")
    }
}
