import Foundation

/// The repository's root.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A file of the repository, as text.
func repositoryFile(_ path: String) throws -> String {
    try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
}

/// Where the built executables are: beside `$CALLSTREAM_BIN`, else `.build/debug`.
let binDirectory: URL = {
    if let path = ProcessInfo.processInfo.environment["CALLSTREAM_BIN"] { return URL(fileURLWithPath: path).deletingLastPathComponent() }
    return packageRoot.appendingPathComponent(".build/debug")
}()

/// What a finished process printed and its exit status.
struct ProcessResult {
    var status: Int32
    var output: String
    var errors: String
}

/// Runs a built executable in the repository's root with exactly `environment` (plus PATH), to its
/// end. Output goes to files, so neither a long output nor the wait blocks a thread.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployment-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outputURL = directory.appendingPathComponent("stdout")
    let errorURL = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

    let process = Process()
    process.executableURL = binDirectory.appendingPathComponent(executable)
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { mine, _ in mine }
    process.standardOutput = try FileHandle(forWritingTo: outputURL)
    process.standardError = try FileHandle(forWritingTo: errorURL)
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    return ProcessResult(
        status: status,
        output: try String(contentsOf: outputURL, encoding: .utf8),
        errors: try String(contentsOf: errorURL, encoding: .utf8)
    )
}
