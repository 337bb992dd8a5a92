public import Logging
import PostgresNIO
public import Sinks
import Synchronization

/// Upserts each record into a `calls` table (one row per call_id, keeping the highest revision;
/// transcript and the whole record as jsonb). Replays and redeliveries change nothing: a row is
/// replaced only by a higher revision. The schema is created by numbered migrations at start.
public final class PostgresSink: RecordSink {
    public let configuration: PostgresSinkConfiguration
    private let client: PostgresClient
    private let logger: Logger
    private let runTask = Mutex<Task<Void, Never>?>(nil)

    public init(configuration: PostgresSinkConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        var postgres = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database,
            tls: configuration.useTLS ? .prefer(.makeClientConfiguration()) : .disable
        )
        postgres.options.maximumConnections = configuration.maximumConnections
        self.client = PostgresClient(configuration: postgres, backgroundLogger: logger)
    }

    public func start() async throws {
        let client = self.client
        runTask.withLock { $0 = Task { await client.run() } }
        do {
            try await migrate()
        } catch {
            throw SinkError(.unavailable, "PostgreSQL migrations failed: \(String(reflecting: error))")
        }
    }

    public func write(_ records: [SinkRecord]) async throws {
        // One row per call in a statement: the highest revision of the batch.
        var latest: [String: SinkRecord] = [:]
        for record in records where record.revision > latest[record.callID]?.revision ?? 0 {
            latest[record.callID] = record
        }
        guard !latest.isEmpty else { return }
        var array: [UInt8] = [UInt8(ascii: "[")]
        for (index, record) in latest.values.enumerated() {
            if index > 0 { array.append(UInt8(ascii: ",")) }
            array += record.json
        }
        array.append(UInt8(ascii: "]"))
        let json = String(decoding: array, as: UTF8.self)
        do {
            try await client.query(PostgresQuery(unsafeSQL: PostgresSchema.upsert(table: configuration.table), binds: Self.binds(json)), logger: logger)
        } catch {
            throw SinkError(.unavailable, "PostgreSQL upsert failed: \(String(reflecting: error))")
        }
    }

    public func shutdown() async throws {
        runTask.withLock { $0 }?.cancel()
    }

    private func migrate() async throws {
        let table = configuration.table
        try await client.withTransaction(logger: logger) { connection in
            // Several sinks starting at once migrate one after the other.
            try await connection.query("SELECT pg_advisory_xact_lock(4242424242)", logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(PostgresSchema.migrationsTable) (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"),
                logger: logger
            )
            var applied = Set<Int>()
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(PostgresSchema.migrationsTable)"), logger: logger)
            for try await version in rows.decode(Int.self) { applied.insert(version) }
            for migration in PostgresSchema.migrations(table: table) where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO callstream_schema_migrations (version) VALUES (\(migration.version))", logger: logger)
                logger.info("postgres sink: migration applied", metadata: ["version": "\(migration.version)"])
            }
        }
    }

    private static func binds(_ json: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(json)
        return binds
    }
}
