import Foundation

/// Debian's `chromium` in headless mode (`make test` installs it): dumps a page's DOM or takes a
/// screenshot once the page's load event fired (or `timeout` passed).
enum HeadlessChromium {
    static var binary: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts chromium on `url`; `output` is where it dumps (or nothing for a screenshot).
    static func start(_ url: String, arguments: [String], output: String) throws -> Process {
        guard let binary else { throw PostgresTestError("no chromium: run `make deps` (Debian package chromium)") }
        let profile = NSTemporaryDirectory() + "callstream-chromium-\(UUID().uuidString.prefix(8))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)", "--timeout=30000", "--window-size=1200,800"]
            + (getuid() == 0 ? ["--no-sandbox"] : []) + arguments + [url]
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for `process` to end (at most `timeout`, then kills it) and deletes its profile.
    static func wait(_ process: Process, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // The throwaway profile goes with it.
        if let profile = process.arguments?.first(where: { $0.hasPrefix("--user-data-dir=") }) {
            try? FileManager.default.removeItem(atPath: String(profile.dropFirst("--user-data-dir=".count)))
        }
    }
}
