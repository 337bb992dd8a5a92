public import Hummingbird
import HTTPTypes
import HummingbirdCore
import Kafka
import NIOCore
public import Logging

/// Builds the intake: the HTTP routes plus the producer, the broker probe and the directory reader,
/// all run as services of the returned application (the HTTP server shuts down first on SIGTERM,
/// draining requests in flight; the producer flushes last).
///
/// `onServerRunning` gets the bound port (useful with port 0).
public func buildIntake(
    configuration: IntakeConfiguration, logger: Logger, metrics: IntakeMetrics = IntakeMetrics(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    // Configuration errors first, before any client holds resources.
    let verifier = configuration.signature.isRequired ? try SignatureVerifier(configuration: configuration.signature) : nil
    guard let signatureHeader = HTTPField.Name(configuration.signature.header) else {
        throw IntakeError.invalidConfiguration("\"\(configuration.signature.header)\" is not a valid header name")
    }
    let producer: KafkaProducer
    let auditProducer: KafkaProducer?
    let admin: KafkaAdmin
    do {
        producer = try KafkaProducer(configuration: configuration.producerConfiguration, logger: logger)
        auditProducer = configuration.inbound.auditToRawTopic
            ? try KafkaProducer(configuration: configuration.auditProducerConfiguration, logger: logger) : nil
        admin = try KafkaAdmin(bootstrapServers: configuration.bootstrapServers, properties: configuration.kafkaProperties, logger: logger)
    } catch {
        throw IntakeError.invalidConfiguration("cannot create the Kafka clients: \(error)")
    }
    let directory = Directory()
    let probe = BrokerProbe(
        admin: admin, topic: configuration.eventsTopic, interval: configuration.brokerProbeInterval,
        timeout: configuration.brokerProbeTimeout, logger: logger
    )
    let directoryService = DirectoryService(directory: directory, configuration: configuration, admin: admin, metrics: metrics, logger: logger)
    let publisher = EventPublisher(producer: producer, timeout: configuration.publishTimeout, retryAfterSeconds: configuration.retryAfterSeconds, metrics: metrics)
    let callEvents = CallEventsHandler(
        topic: configuration.eventsTopic, maximumBodyBytes: configuration.maximumBodyBytes,
        signatureHeader: signatureHeader, verifier: verifier, publisher: publisher
    )
    let inbound = InboundHandler(
        directory: directory, configuration: configuration.inbound, maximumBodyBytes: configuration.maximumBodyBytes,
        auditTopic: configuration.eventsTopic, producer: auditProducer, metrics: metrics
    )

    let router = Router()
    let routes: Set<String> = [IntakeRoute.callEvents, IntakeRoute.inbound, IntakeRoute.health, IntakeRoute.readiness, IntakeRoute.metrics]
    router.add(middleware: IntakeMetricsMiddleware(metrics: metrics, routes: routes))
    router.add(middleware: JSONErrorMiddleware(knownPaths: routes))
    router.post(RouterPath(IntakeRoute.callEvents)) { request, context in
        try await callEvents.handle(request, context: context)
    }
    router.post(RouterPath(IntakeRoute.inbound)) { request, context in
        try await inbound.handle(request, context: context)
    }
    router.get(RouterPath(IntakeRoute.health)) { _, _ in
        Response.json(Array(#"{"status":"ok"}"#.utf8), status: .ok)
    }
    router.get(RouterPath(IntakeRoute.readiness)) { _, _ in
        let broker = probe.isReachable
        let loaded = directory.isLoaded
        guard broker && loaded else {
            var problems: [String] = []
            if !broker { problems.append("the broker does not answer") }
            if !loaded { problems.append("the directory is not loaded yet") }
            throw IntakeError(.notReady, problems.joined(separator: "; "))
        }
        return Response.json(Array(#"{"status":"ready"}"#.utf8), status: .ok)
    }
    router.get(RouterPath(IntakeRoute.metrics)) { _, _ in
        metrics.directorySize.set(to: Double(directory.count))
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(buffer.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer))
        )
    }

    let headerLimit = configuration.maximumHeaderBytes
    return Application(
        router: router,
        server: HTTPServerBuilder { responder in
            EventLoopPinnedChannel(base: HTTP1Channel(responder: responder, configuration: .init(
                idleTimeout: .milliseconds(configuration.idleTimeout.totalMilliseconds),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: headerLimit, maxHeaderListSize: headerLimit)
            )))
        },
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        // Shut down in reverse: directory reader, probe (releasing the admin client), producer (flush).
        services: [producer] + (auditProducer.map { [$0] } ?? []) + [probe, directoryService],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
