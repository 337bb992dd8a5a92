/// The sink's schema, as numbered migrations applied once each (recorded in
/// `callstream_schema_migrations`). Append new ones; never edit an applied one.
enum PostgresSchema {
    static let migrationsTable = "callstream_schema_migrations"

    static func migrations(table: String) -> [(version: Int, statements: [String])] {
        [
            (1, [
                """
                CREATE TABLE IF NOT EXISTS \(table) (
                    call_id text PRIMARY KEY,
                    revision integer NOT NULL,
                    status text NOT NULL,
                    agent_id text,
                    started_at timestamptz,
                    ended_at timestamptz,
                    duration_ms bigint,
                    transcript jsonb NOT NULL,
                    record jsonb NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX IF NOT EXISTS \(table)_ended_at ON \(table) (ended_at)",
            ]),
        ]
    }

    /// Upserts a JSON array of records (`$1`, at most one per call_id): a row keeps the highest revision.
    static func upsert(table: String) -> String {
        """
        INSERT INTO \(table) AS c (call_id, revision, status, agent_id, started_at, ended_at, duration_ms, transcript, record, updated_at)
        SELECT r->>'call_id', (r->>'revision')::integer, r->>'status', r->>'agent_id',
               to_timestamp((r->>'started_at_ms')::double precision / 1000),
               to_timestamp((r->>'ended_at_ms')::double precision / 1000),
               (r->>'duration_ms')::bigint, COALESCE(r->'transcript', '[]'::jsonb), r, now()
        FROM jsonb_array_elements($1::jsonb) AS r
        ON CONFLICT (call_id) DO UPDATE SET
            revision = EXCLUDED.revision, status = EXCLUDED.status, agent_id = EXCLUDED.agent_id,
            started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, duration_ms = EXCLUDED.duration_ms,
            transcript = EXCLUDED.transcript, record = EXCLUDED.record, updated_at = now()
        WHERE c.revision < EXCLUDED.revision
        """
    }
}
