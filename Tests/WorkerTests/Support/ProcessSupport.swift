import Foundation
import Kafka
import Synchronization

/// Collects what a child process writes to one of its pipes, as it arrives.
final class ProcessOutput: Sendable {
    let pipe = Pipe()
    private let collected = Mutex<Data>(Data())

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.collected.withLock { $0.append(chunk) }
        }
    }

    var text: String { String(decoding: collected.withLock { $0 }, as: UTF8.self) }

    /// Stops collecting (after the process ended).
    func close() {
        pipe.fileHandleForReading.readabilityHandler = nil
    }
}

/// Runs `callstream` (from `$CALLSTREAM_BIN`, else `.build/debug/callstream`) with `arguments`
/// to its end; returns its exit status, standard output and standard error.
func runCallStream(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    try runToEnd(
        ProcessInfo.processInfo.environment["CALLSTREAM_BIN"].map { URL(fileURLWithPath: $0) } ?? packageRoot.appendingPathComponent(".build/debug/callstream"),
        arguments
    )
}

/// Runs `executable` with `arguments` (in the package root) to its end; returns its exit status,
/// standard output and standard error.
func runToEnd(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = executable
    process.currentDirectoryURL = packageRoot
    process.arguments = arguments
    let output = ProcessOutput()
    let error = ProcessOutput()
    process.standardOutput = output.pipe
    process.standardError = error.pipe
    try process.run()
    process.waitUntilExit()
    // Whatever is still buffered in the pipes.
    let restOut = output.pipe.fileHandleForReading.readDataToEndOfFile()
    let restErr = error.pipe.fileHandleForReading.readDataToEndOfFile()
    output.close()
    error.close()
    return (process.terminationStatus, output.text + String(decoding: restOut, as: UTF8.self), error.text + String(decoding: restErr, as: UTF8.self))
}

/// Starts `callstream-worker` on `cluster` (fast group joins, ticks after 1 s of quiet, metrics on
/// a free port), logging at `logLevel` to `logs` (else nowhere), plus `arguments`.
func startWorkerProcess(
    _ cluster: some KafkaBroker, lateEventWindowMs: Int, logLevel: String = "error", logs: ProcessOutput? = nil, arguments: [String] = []
) throws -> Process {
    let process = Process()
    process.executableURL = packageRoot.appendingPathComponent(".build/debug/callstream-worker")
    process.currentDirectoryURL = packageRoot
    process.arguments = [
        "--kafka-bootstrap-servers", cluster.bootstrapServers,
        "--worker-session-timeout-ms", "6000", "--worker-heartbeat-interval-ms", "500",
        "--worker-tick-after-ms", "1000", "--worker-late-event-window-ms", "\(lateEventWindowMs)", "--log-level", logLevel,
        "--worker-metrics-port", "0",
    ] + arguments
    process.standardOutput = FileHandle.nullDevice
    if let logs { process.standardError = logs.pipe }
    try process.run()
    return process
}
