import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Python reference peer in `bench/peer` (what a user would write without CallStream), run
/// from the venv `make bench-deps` creates: its intake under uvicorn, its worker as a process.
struct ReferencePeer {
    let python: URL
    let folder: URL

    /// The peer when its venv and its sources are there (paths relative to the current folder,
    /// the repository's root under `make`); nil otherwise.
    static func installed(venv: String, folder: String = "bench/peer") -> ReferencePeer? {
        let python = URL(fileURLWithPath: venv).appendingPathComponent("bin/python")
        let folder = URL(fileURLWithPath: folder)
        guard FileManager.default.isExecutableFile(atPath: python.path),
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("intake.py").path),
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("worker.py").path)
        else { return nil }
        return ReferencePeer(python: python, folder: folder)
    }

    /// Runs `body` with the peer's intake serving (uvicorn, 2 workers: one per core, as its
    /// docstring says) and publishing to `topic`; `body` gets its base URL. The server is stopped
    /// afterwards (SIGTERM, SIGKILL after 15 s).
    func withIntake<T>(bootstrapServers: String, topic: String, _ body: (String) async throws -> T) async throws -> T {
        let port = try shell(python.path, "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
        let server = Process()
        server.executableURL = python
        server.arguments = ["-m", "uvicorn", "intake:app", "--app-dir", folder.path, "--host", "127.0.0.1", "--port", port,
                            "--workers", "2", "--no-access-log", "--log-level", "warning"]
        server.environment = ProcessInfo.processInfo.environment.merging(["KAFKA_BOOTSTRAP_SERVERS": bootstrapServers, "RAW_TOPIC": topic]) { $1 }
        try server.run()
        defer { Self.stop(server) }
        let base = "http://127.0.0.1:\(port)"
        try await Self.waitUntilServing(URL(string: base + "/healthz"), server)
        return try await body(base)
    }

    /// Runs `worker.py` over `topic` in a new consumer group until `records` records are
    /// acknowledged; its events per second between the first record and the last.
    func workerRate(bootstrapServers: String, topic: String, recordsTopic: String, records: Int, eventsPerRecord: Int, group: String) throws -> Double {
        let output = try shell(python.path, folder.appendingPathComponent("worker.py").path, bootstrapServers, topic, recordsTopic, String(records),
                               "--group", group, "--events-per-record", String(eventsPerRecord))
        struct Report: Decodable {
            var eventsPerSecond: Double
            var records: Int
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let report = try? decoder.decode(Report.self, from: Data(output.utf8)), report.records == records else {
            throw BenchFailure(message: "the Python worker did not report \(records) records; it printed: \(output)")
        }
        return report.eventsPerSecond
    }

    /// Waits up to 30 s (Python's imports, two workers starting) for `GET /healthz` to answer 200.
    private static func waitUntilServing(_ url: URL?, _ server: Process) async throws {
        guard let url else { throw BenchFailure(message: "no URL for the Python intake") }
        for _ in 0..<300 {
            guard server.isRunning else { throw BenchFailure(message: "the Python intake exited with status \(server.terminationStatus)") }
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure(message: "the Python intake did not answer \(url) within 30 s")
    }

    /// SIGTERM (uvicorn stops its workers, each flushing its producer), SIGKILL after 15 s.
    private static func stop(_ server: Process) {
        server.terminate()
        let deadline = ContinuousClock.now + .seconds(15)
        while server.isRunning, ContinuousClock.now < deadline { usleep(50_000) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }
}
