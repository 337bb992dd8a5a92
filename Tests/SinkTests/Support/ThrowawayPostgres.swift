import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A throwaway PostgreSQL server from Debian's `postgresql` package (`make test` installs it):
/// its own data folder under /tmp, loopback only, a free port of its own, trust authentication;
/// stopped and deleted by ``stop()``. Run as the `postgres` user when the tests run as root
/// (the server refuses root).
final class ThrowawayPostgres: Sendable {
    let port: Int
    let directory: String
    private let binaries: String
    private let asPostgresUser: Bool
    private let serverProcess = Mutex<Process?>(nil)

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    static func start() throws -> ThrowawayPostgres {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.compactMap(Int.init).max() else {
            throw PostgresTestError("no PostgreSQL server in /usr/lib/postgresql: run `make deps` (Debian package postgresql)")
        }
        let server = ThrowawayPostgres(
            port: try freePort(), directory: NSTemporaryDirectory() + "callstream-pg-\(UUID().uuidString.prefix(8))",
            binaries: "/usr/lib/postgresql/\(version)/bin", asPostgresUser: getuid() == 0
        )
        try FileManager.default.createDirectory(atPath: server.directory, withIntermediateDirectories: true)
        if server.asPostgresUser { try server.run("/bin/chown", ["postgres:postgres", server.directory], asPostgres: false) }
        try server.run("\(server.binaries)/initdb", ["-D", "\(server.directory)/data", "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"])
        // The server runs as our child (pg_ctl's daemon would keep Foundation's Process waiting).
        try server.spawn("\(server.binaries)/postgres", [
            "-D", "\(server.directory)/data", "-p", "\(server.port)", "-c", "listen_addresses=127.0.0.1",
            "-k", server.directory, "-c", "fsync=off",
        ])
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? server.run("\(server.binaries)/pg_isready", ["-h", "127.0.0.1", "-p", "\(server.port)", "-q"])) == nil {
            guard ContinuousClock.now < deadline else { throw PostgresTestError("the server did not start: see \(server.directory)/server.log") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return server
    }

    private init(port: Int, directory: String, binaries: String, asPostgresUser: Bool) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.asPostgresUser = asPostgresUser
    }

    func stop() {
        try? run("\(binaries)/pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "-t", "30", "stop"])
        if let process = serverProcess.withLock({ $0 }) {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts `executable` (as `postgres` when root) with its output in server.log, not waiting for it.
    private func spawn(_ executable: String, _ arguments: [String]) throws {
        let process = command(executable, arguments, asPostgres: nil)
        let log = "\(directory)/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        serverProcess.withLock { $0 = process }
    }

    /// Runs `body` with a client connected to the server; the client is closed afterwards.
    func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var configuration = PostgresClient.Configuration(host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        configuration.options.maximumConnections = 2
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "pg-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private func command(_ executable: String, _ arguments: [String], asPostgres: Bool?) -> Process {
        let process = Process()
        if asPostgres ?? asPostgresUser {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        return process
    }

    private func run(_ executable: String, _ arguments: [String], asPostgres: Bool? = nil) throws {
        let process = command(executable, arguments, asPostgres: asPostgres)
        // A file, not a pipe: the server pg_ctl starts inherits it and would hold a pipe open.
        let log = "\(directory)/commands.log"
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try output.seekToEnd()
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresTestError("\(executable) \(arguments.joined(separator: " ")) failed: \(text.suffix(2000))")
        }
    }
}

struct PostgresTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A TCP port nobody listens on now (the kernel's pick).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PostgresTestError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw PostgresTestError("bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
