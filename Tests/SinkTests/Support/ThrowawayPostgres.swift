import Foundation
import Logging
import PostgresNIO

/// A throwaway PostgreSQL server from Debian's `postgresql` package (`make test` installs it):
/// its own data folder under /tmp, loopback only, a free port of its own, trust authentication;
/// stopped and deleted by ``stop()``. Run as the `postgres` user when the tests run as root
/// (the server refuses root).
final class ThrowawayPostgres: Sendable {
    let port: Int
    let directory: String
    private let binaries: String
    private let asPostgresUser: Bool

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
        try server.run("\(server.binaries)/pg_ctl", [
            "-D", "\(server.directory)/data", "-l", "\(server.directory)/server.log", "-w", "-t", "60",
            "-o", "-p \(server.port) -c listen_addresses=127.0.0.1 -k \(server.directory) -c fsync=off", "start",
        ])
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
        try? FileManager.default.removeItem(atPath: directory)
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

    private func run(_ executable: String, _ arguments: [String], asPostgres: Bool? = nil) throws {
        let process = Process()
        if asPostgres ?? asPostgresUser {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestError("\(executable) \(arguments.joined(separator: " ")) failed: \(text)")
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
