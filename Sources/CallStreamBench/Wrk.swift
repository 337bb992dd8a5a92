import Foundation

/// Runs wrk (Debian's package) and reads its summary.
struct Wrk {
    var requestsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var non2xx: Int

    static func run(url: String, script: URL?, connections: Int, seconds: Int) throws -> Wrk {
        var arguments = ["wrk", "-t", "1", "-c", "\(connections)", "-d", "\(seconds)s", "--latency"]
        if let script { arguments += ["-s", script.path] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments + [url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchFailure(message: "wrk failed: \(text)") }
        return try parse(text)
    }

    static func parse(_ text: String) throws -> Wrk {
        var result = Wrk(requestsPerSecond: 0, p50Milliseconds: 0, p99Milliseconds: 0, non2xx: 0)
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), let value = fields.last.flatMap({ Double($0) }) {
                result.requestsPerSecond = value
            } else if line.hasPrefix("50%"), let value = fields.last.flatMap(milliseconds) {
                result.p50Milliseconds = value
            } else if line.hasPrefix("99%"), let value = fields.last.flatMap(milliseconds) {
                result.p99Milliseconds = value
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let value = fields.last.flatMap({ Int($0) }) {
                result.non2xx = value
            }
        }
        guard result.requestsPerSecond > 0 else { throw BenchFailure(message: "could not read wrk's output: \(text)") }
        return result
    }

    /// wrk prints `812.00us`, `1.23ms` or `1.02s`.
    private static func milliseconds(_ text: Substring) -> Double? {
        for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return nil
    }
}
