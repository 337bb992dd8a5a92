import Foundation

/// One of our executables run as a separate process, its output in a log file.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let process = Process()
    let logURL: URL

    /// Starts `executable` (a file in the bin folder) with `arguments`, in the package root.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], logIn folder: URL) throws {
        name = executable
        process.executableURL = binFolder.appendingPathComponent(executable)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        logURL = folder.appendingPathComponent("\(executable)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var output: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        if process.isRunning { kill(pid, number) }
    }

    /// Waits for the process to end; `nil` when it is still running after `timeout`.
    @discardableResult
    func waitForExit(timeout: Duration) async -> Duration? {
        let started = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - started > timeout { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return ContinuousClock.now - started
    }

    /// SIGTERM, then how long it took to exit (SIGKILL and `nil` past `timeout`).
    func terminate(timeout: Duration = .seconds(15)) async -> Duration? {
        signal(SIGTERM)
        let took = await waitForExit(timeout: timeout)
        if took == nil { signal(SIGKILL); await waitForExit(timeout: .seconds(5)) }
        return took
    }

    /// SIGKILL and wait.
    func killNow() async {
        signal(SIGKILL)
        await waitForExit(timeout: .seconds(10))
    }

    /// Resident set size in bytes (from /proc), `nil` once gone.
    var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}

/// The package's root directory.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// Where the executables are: the folder of `$CALLSTREAM_BIN`, else `.build/debug`.
let binFolder: URL = {
    if let path = ProcessInfo.processInfo.environment["CALLSTREAM_BIN"] { return URL(fileURLWithPath: path).deletingLastPathComponent() }
    return packageRoot.appendingPathComponent(".build/debug")
}()
