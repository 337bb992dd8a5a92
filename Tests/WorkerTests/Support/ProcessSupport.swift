import Foundation
import Kafka
import Synchronization
import ProcessTestSupport

/// Collects what a child process writes to one of its pipes, as it arrives: a thread of its own
/// reads the pipe to its end. Not `FileHandle.readabilityHandler`: setting and clearing it from
/// several threads at once (parallel tests) corrupts libdispatch's epoll bookkeeping on Linux and
/// crashes the whole test process (swift-corelibs-libdispatch#949); it did once in this CI.
final class ProcessOutput: Sendable {
    let pipe = Pipe()
    private let collected = Mutex<Data>(Data())
    private let ended = DispatchSemaphore(value: 0)

    init() {
        // A plain read(2) loop: FileHandle's read(upToCount:) waits for the whole count.
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                collected.withLock { $0.append(contentsOf: buffer[..<count]) }
            }
            ended.signal()
        }.start()
    }

    var text: String { String(decoding: collected.withLock { $0 }, as: UTF8.self) }

    /// Waits until the pipe's end (every process writing to it exited), at most `seconds`;
    /// `false` if it did not come (a descendant still holds the pipe).
    @discardableResult
    func waitForEnd(seconds: Double = 10) -> Bool {
        ended.wait(timeout: .now() + seconds) == .success
    }
}

/// Runs `callstream` (from `$CALLSTREAM_BIN`, else `.build/debug/callstream`) with `arguments`
/// to its end; returns its exit status, standard output and standard error.
func runCallStream(_ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
    try await runToEnd(
        ProcessInfo.processInfo.environment["CALLSTREAM_BIN"].map { URL(fileURLWithPath: $0) } ?? packageRoot.appendingPathComponent(".build/debug/callstream"),
        arguments
    )
}

/// Runs `executable` with `arguments` (in the package root) to its end; returns its exit status,
/// standard output and standard error.
func runToEnd(_ executable: URL, _ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = executable
    process.currentDirectoryURL = packageRoot
    process.arguments = arguments
    let output = ProcessOutput()
    let error = ProcessOutput()
    process.standardOutput = output.pipe
    process.standardError = error.pipe
    try process.run()
    await process.exited()
    _ = await offPool { output.waitForEnd() }
    _ = await offPool { error.waitForEnd() }
    return (process.terminationStatus, output.text, error.text)
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
