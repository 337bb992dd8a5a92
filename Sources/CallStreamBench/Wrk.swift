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

    /// What one wrk run measures: a URL, its Lua script (nil: a plain GET) and the connections.
    struct Target {
        var url: String
        var script: URL?
        var connections: Int
    }

    /// One short run (4 connections, 1 s) that warms a path (connections, producer id, metadata)
    /// before it is measured.
    static func warm(_ target: Target) throws {
        _ = try run(url: target.url, script: target.script, connections: 4, seconds: 1)
    }

    /// `rounds` rounds of one run against each target in turn, so that the noise of the 2 shared
    /// cores falls on all alike; for each target, the median of each figure over its rounds.
    /// Throws on any non-2xx answer.
    static func medians(of targets: [Target], seconds: Int, rounds: Int = 3) throws -> [Wrk] {
        var runs = [[Wrk]](repeating: [], count: targets.count)
        for _ in 0..<rounds {
            for (index, target) in targets.enumerated() {
                let result = try run(url: target.url, script: target.script, connections: target.connections, seconds: seconds)
                guard result.non2xx == 0 else { throw BenchFailure(message: "\(result.non2xx) non-2xx answers from \(target.url)") }
                runs[index].append(result)
            }
        }
        return runs.map { runs in
            Wrk(requestsPerSecond: median(runs.map(\.requestsPerSecond)), p50Milliseconds: median(runs.map(\.p50Milliseconds)),
                p99Milliseconds: median(runs.map(\.p99Milliseconds)), non2xx: 0)
        }
    }

    /// Runs `body` with each Lua source written to a file in a temporary folder (removed afterwards).
    static func withScripts<T>(_ sources: [String], _ body: ([URL]) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-bench-wrk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var scripts: [URL] = []
        for (index, source) in sources.enumerated() {
            let script = folder.appendingPathComponent("script-\(index).lua")
            try source.write(to: script, atomically: true, encoding: .utf8)
            scripts.append(script)
        }
        return try await body(scripts)
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
