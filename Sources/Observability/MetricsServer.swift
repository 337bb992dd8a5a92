import Hummingbird
public import Logging
import NIOCore
public import Prometheus
public import ServiceLifecycle

/// A small HTTP server for operators: `GET /metrics` renders a Prometheus registry (after
/// `onScrape` refreshed whatever is published lazily), `GET /healthz` answers `health()`.
/// Run it as one more service of the process's `ServiceGroup`.
public final class MetricsServer: Service, Sendable {
    public let configuration: MetricsServerConfiguration
    private let application: any Service

    /// - Parameters:
    ///   - onScrape: called before each rendering, e.g. to copy plain counters into the registry.
    ///   - health: what `/healthz` reports.
    ///   - onRunning: gets the bound port (useful with port 0).
    public init(
        configuration: MetricsServerConfiguration, registry: PrometheusCollectorRegistry, logger: Logger,
        onScrape: @escaping @Sendable () async -> Void = {},
        health: @escaping @Sendable () async -> HealthReport = { .healthy },
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        let router = Router()
        router.get("/metrics") { _, _ in
            await onScrape()
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(buffer.count)],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        router.get("/healthz") { _, _ in
            let report = await health()
            let body = report.isHealthy
                ? #"{"status":"ok"}"#
                : #"{"error":"unhealthy","message":"# + JSONText.quoted(report.problems.joined(separator: "; ")) + "}"
            return Response(
                status: report.isHealthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .contentLength: String(body.utf8.count)],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        let port = configuration.port
        self.application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("metrics server listening", metadata: ["port": "\(bound)"])
                await onRunning(bound)
            },
            logger: logger
        )
    }

    public func run() async throws {
        try await application.run()
    }
}
