import Foundation
import Kafka
import Logging
import Reliability

/// `CALLSTREAM_RELIABILITY=long` (make reliability) runs the long versions.
let isLongRun = ProcessInfo.processInfo.environment["CALLSTREAM_RELIABILITY"] == "long"

func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["CALLSTREAM_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
    return logger
}

/// Figures for RELIABILITY.md: printed, and appended to `$CALLSTREAM_RELIABILITY_REPORT` when set.
func reportFigure(_ line: String) {
    print("[reliability] \(line)")
    if let path = ProcessInfo.processInfo.environment["CALLSTREAM_RELIABILITY_REPORT"] {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data((line + "\n").utf8))
            try? handle.close()
        }
    }
}

/// An embedded cluster in the test process, with an intake and workers as separate processes.
final class ReliabilityStack: @unchecked Sendable {
    static let partitions: Int32 = 12
    let cluster: EmbeddedKafkaCluster
    let folder: URL
    let intakePort: Int
    private(set) var intake: ChildProcess?
    private(set) var workers: [ChildProcess] = []

    init(brokers: Int) throws {
        cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: testLogger("embedded"))
        for (topic, partitions) in [("callstream.events", Self.partitions), ("callstream.records", Self.partitions), ("callstream.dlq", 3), ("callstream.directory", 3)] {
            try cluster.createTopic(topic, partitions: partitions, replicationFactor: Int32(brokers))
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("callstream-reliability-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        intakePort = try freePort()
    }

    /// Runs `body` with a stack; every process stopped and the cluster shut down afterwards.
    static func with<T>(brokers: Int = 3, _ body: (ReliabilityStack) async throws -> T) async throws -> T {
        let stack = try ReliabilityStack(brokers: brokers)
        do {
            let result = try await body(stack)
            await stack.stopAll()
            return result
        } catch {
            await stack.stopAll()
            throw error
        }
    }

    func stopAll() async {
        for process in workers + (intake.map { [$0] } ?? []) where process.isRunning { await process.killNow() }
        await cluster.shutdown()
    }

    /// Starts the intake (503 after 3 s without an acknowledgement, Retry-After 1 s) and waits for /health.
    @discardableResult
    func startIntake(extra: [String] = [], environment: [String: String] = [:]) async throws -> ChildProcess {
        let process = try ChildProcess("callstream-intake", [
            "--kafka-bootstrap-servers", cluster.bootstrapServers, "--intake-host", "127.0.0.1", "--intake-port", "\(intakePort)",
            "--intake-publish-timeout-ms", "3000", "--intake-retry-after-seconds", "1", "--intake-broker-probe-interval-ms", "1000",
            "--intake-shutdown-timeout-ms", "8000",
        ] + Self.intakeLogging + extra, environment: environment, logIn: folder)
        intake = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? RawHTTP(port: intakePort).exchange("GET", "/readyz", body: []))?.status == 200 { return process }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ReliabilityError(.connection, "the intake did not come up: \(process.output)")
    }

    /// `CALLSTREAM_TEST_INTAKE_DEBUG=eos` (a librdkafka debug context) logs the intake at debug
    /// level with those contexts: every publish with its partition and offset, for a diagnosis.
    private static var intakeLogging: [String] {
        guard let contexts = ProcessInfo.processInfo.environment["CALLSTREAM_TEST_INTAKE_DEBUG"] else { return ["--log-level", "error"] }
        return ["--log-level", "debug", "--intake-kafka-properties", "debug=\(contexts)"]
    }

    /// Starts one more worker process in the group (fast group joins, ticks after 1 s of quiet, a v2
    /// call's call_analyzed awaited 3 s: the samples include a v2 call without one).
    @discardableResult
    func startWorker(extra: [String] = []) throws -> ChildProcess {
        let process = try ChildProcess("callstream-worker", [
            "--kafka-bootstrap-servers", cluster.bootstrapServers,
            "--worker-session-timeout-ms", "6000", "--worker-heartbeat-interval-ms", "500",
            "--worker-tick-after-ms", "1000", "--worker-late-event-window-ms", "300000", "--worker-analysis-wait-ms", "3000",
            "--worker-metrics-port", "0", "--log-level", "error",
        ] + extra, logIn: folder)
        workers.append(process)
        return process
    }

    func removeWorker(_ process: ChildProcess) {
        workers.removeAll { $0 === process }
    }

    /// Starts `callstream load` against the intake, logging acknowledgements to a file of the stack's folder.
    func startLoad(calls: Int, rate: Int?, concurrency: Int = 16, extra: [String] = []) throws -> (ChildProcess, String) {
        let log = folder.appendingPathComponent("acknowledged-\(UUID().uuidString.prefix(8)).jsonl").path
        let process = try ChildProcess("callstream", [
            "load", "--url", "http://127.0.0.1:\(intakePort)", "--calls", "\(calls)", "--events-per-call", "12",
            "--concurrency", "\(concurrency)", "--rate", rate.map(String.init) ?? "max", "--log", log,
        ] + extra, logIn: folder)
        return (process, log)
    }

    /// How many records the workers emitted so far (the records topic's high watermarks).
    func recordCount() async throws -> Int64 {
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: testLogger("admin"))
        let metadata = try? await admin.metadata(topics: ["callstream.records"])
        await admin.shutdown()
        return metadata?.topic("callstream.records")?.partitions.reduce(0) { $0 + $1.highWatermark } ?? 0
    }

    /// The invariant check of a run: waits up to `settle` for the records.
    func verify(log: String, settle: Duration = .seconds(90)) async throws -> InvariantReport {
        var verification = Verification(bootstrapServers: cluster.bootstrapServers)
        verification.settle = settle
        let report = try await verification.run(acknowledged: try AcknowledgementLog.read(path: log), logger: testLogger("verify"))
        await explainUnpublished(report)
        return report
    }

    /// For each acknowledged webhook the check found missing from the raw topic: where its call's
    /// messages are in a second reading of the topic (a message the first reading missed, or a real loss).
    private func explainUnpublished(_ report: InvariantReport) async {
        let missing = report.violations.filter { $0.kind == .acknowledgedButNotPublished }
        guard !missing.isEmpty else { return }
        guard let raw = try? await TopicSnapshot.read(topic: "callstream.events", bootstrapServers: cluster.bootstrapServers, logger: testLogger("verify")) else {
            reportFigure("diagnosis: the raw topic could not be read again")
            return
        }
        for violation in missing {
            let hash = violation.detail.split(separator: " ").last.map(String.init) ?? ""
            let again = raw.filter { ($0.headers["body-sha256"] ?? InvariantChecker.sha256($0.value)) == hash }
            let ofCall = raw.filter { $0.key.map { String(decoding: $0, as: UTF8.self) } == violation.callID }
            reportFigure(
                "diagnosis: \(violation.callID) \(hash.prefix(12)): \(again.isEmpty ? "not in a second reading either" : "found in a second reading at \(again.map { "\($0.partition):\($0.offset)" })"); "
                    + "the call's messages: \(ofCall.map { "\($0.partition):\($0.offset) \(($0.headers["event"] ?? "?")) \(($0.headers["body-sha256"] ?? "").prefix(12))" })"
            )
        }
    }
}

/// A TCP port nobody listens on right now.
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The figures `callstream load` printed (`acknowledged=…`, `failed=…`).
func loadFigure(_ output: String, _ name: String) -> Int? {
    guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("load:") }) else { return nil }
    for field in line.split(separator: " ") where field.hasPrefix(name + "=") { return Int(field.dropFirst(name.count + 1)) }
    return nil
}
