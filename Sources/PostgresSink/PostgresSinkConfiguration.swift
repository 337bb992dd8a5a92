import Foundation
public import Sinks

/// Options of ``PostgresSink``; defaults also in `config/callstream.yaml` (`sink.postgres.*`).
public struct PostgresSinkConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 5432
    public var username: String = "postgres"
    public var password: String? = nil
    public var database: String? = nil
    /// `sslmode=disable` in the URL turns TLS off; otherwise it is used when the server offers it.
    public var useTLS: Bool = true
    /// The table of calls (one row per call_id). Default: `calls`.
    public var table: String = "calls"
    /// Connections at most. Default: 4.
    public var maximumConnections: Int = 4

    public init() {}

    /// Reads `postgres://user:password@host:port/database?sslmode=disable`.
    public init(url: String) throws(SinkError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty
        else {
            throw SinkError(.invalidConfiguration, "not a postgres://user@host:port/database URL")
        }
        self.init()
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user ?? "postgres"
        self.password = components.password
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.database = path.isEmpty ? nil : path
        self.useTLS = components.queryItems?.first(where: { $0.name == "sslmode" })?.value != "disable"
    }
}
