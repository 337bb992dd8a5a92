import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
public import Sinks

/// Forwards each record as a JSON POST, signed with HMAC-SHA256, paced by a rate limit; retries
/// 5xx, 408, 429 and connection errors with backoff; other 4xx answers are permanent (the runner
/// dead-letters the record). Headers `idempotency-key: <call_id>:<revision>`,
/// `x-callstream-call-id` and `x-callstream-revision` let the receiver drop repeats.
public actor HTTPSink: RecordSink {
    public let configuration: HTTPSinkConfiguration
    /// Created by ``start()``, shut down by ``shutdown()``.
    private var client: HTTPClient?
    private let logger: Logger
    private var nextSlot = ContinuousClock.now
    /// Recently acknowledged `(call_id, revision)`: a batch retried by the runner skips them.
    private var acknowledged = Set<String>()
    private var acknowledgedOrder: [String] = []

    public init(configuration: HTTPSinkConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func start() async throws {
        guard configuration.url.hasPrefix("http://") || configuration.url.hasPrefix("https://") else {
            throw SinkError(.invalidConfiguration, "the HTTP sink needs an http:// or https:// URL")
        }
        if client == nil { client = HTTPClient(eventLoopGroupProvider: .singleton) }
    }

    public func write(_ records: [SinkRecord]) async throws {
        for record in records {
            let key = "\(record.callID):\(record.revision)"
            if acknowledged.contains(key) { continue }
            try await post(record, key: key)
            remember(key)
        }
    }

    public func shutdown() async throws {
        let client = self.client
        self.client = nil
        try await client?.shutdown()
    }

    private func post(_ record: SinkRecord, key: String) async throws {
        guard let client else { throw SinkError(.unavailable, "the HTTP sink is not started") }
        var attempt = 0
        var delay = configuration.initialBackoff
        while true {
            attempt += 1
            await pace()
            let failure: SinkError
            do {
                let response = try await client.execute(request(record, key: key), timeout: .milliseconds(Self.ms(configuration.requestTimeout)))
                let status = Int(response.status.code)
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(status) { return }
                failure = Self.isRetriable(status)
                    ? SinkError(.unavailable, "\(configuration.url) answered \(status)")
                    : SinkError(.rejected, "\(configuration.url) answered \(status)")
            } catch {
                failure = SinkError(.unavailable, "POST \(configuration.url) failed: \(error)")
            }
            guard failure.isRetriable, attempt < configuration.maximumAttempts else { throw failure }
            logger.warning("http sink: retrying", metadata: ["call_id": "\(record.callID)", "attempt": "\(attempt)", "error": "\(failure)"])
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func request(_ record: SinkRecord, key: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "idempotency-key", value: key)
        request.headers.add(name: "x-callstream-call-id", value: record.callID)
        request.headers.add(name: "x-callstream-revision", value: "\(record.revision)")
        if !configuration.secret.isEmpty {
            let timestamp = "\(Int64(Date().timeIntervalSince1970 * 1000))"
            request.headers.add(name: configuration.timestampHeader, value: timestamp)
            request.headers.add(
                name: configuration.signatureHeader,
                value: HTTPSignature.sign(body: record.json, timestamp: timestamp, secret: configuration.secret)
            )
        }
        request.body = .bytes(ByteBuffer(bytes: record.json))
        return request
    }

    /// Waits for the next request slot of the rate limit.
    private func pace() async {
        guard configuration.maximumRequestsPerSecond > 0 else { return }
        let now = ContinuousClock.now
        let slot = max(nextSlot, now)
        nextSlot = slot + .seconds(1 / configuration.maximumRequestsPerSecond)
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }

    private func remember(_ key: String) {
        guard acknowledged.insert(key).inserted else { return }
        acknowledgedOrder.append(key)
        if acknowledgedOrder.count > 10_000 {
            acknowledged.remove(acknowledgedOrder.removeFirst())
        }
    }

    private static func isRetriable(_ status: Int) -> Bool {
        status >= 500 || status == 408 || status == 429
    }

    private static func ms(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
