import CallEvents
import Crypto
import Hummingbird
import Kafka
import Logging

/// `POST /webhooks/vox/inbound`: answers the caller's dynamic variables from the in-memory
/// ``Directory`` (defaults for unknown numbers) without waiting on the broker, and publishes the
/// request to the raw topic in the background for audit.
struct InboundHandler: Sendable {
    let directory: Directory
    let configuration: InboundConfiguration
    let maximumBodyBytes: Int
    let auditTopic: String
    /// The audit copies' producer; `nil` when audit is off.
    let producer: KafkaProducer?
    let metrics: IntakeMetrics

    func handle(_ request: Request, context: some RequestContext) async throws(IntakeError) -> Response {
        let receivedAtMilliseconds = CallEventsHandler.nowMilliseconds()
        let body = try await request.bodyBytes(limit: maximumBodyBytes)
        let inbound: InboundRequest
        do {
            inbound = try InboundRequest(decoding: body)
        } catch {
            throw IntakeError(error)
        }
        let number = configuration.lookup == .from ? inbound.fromNumber : inbound.toNumber
        var variables = configuration.defaults
        let known = number.flatMap { directory.variables(for: $0) }
        if let known { variables.merge(known) { _, own in own } }
        context.logger.debug("inbound answered", metadata: ["event": "call_inbound", "known": "\(known != nil)"])
        if let producer {
            audit(producer: producer, body, receivedAtMilliseconds: receivedAtMilliseconds, requestID: context.id, logger: context.logger)
        }
        return Response.json(Self.encode(variables, shape: configuration.responseShape), status: .ok)
    }

    /// Fire and forget: the answer never waits for the broker; failures are logged and counted.
    private func audit(producer: KafkaProducer, _ body: [UInt8], receivedAtMilliseconds: Int64, requestID: String, logger: Logger) {
        let message = KafkaProducerMessage(
            topic: auditTopic, key: nil, value: body,
            headers: [
                KafkaHeader(key: IntakeHeader.event, string: "call_inbound"),
                KafkaHeader(key: IntakeHeader.receivedAt, string: String(receivedAtMilliseconds)),
                KafkaHeader(key: IntakeHeader.bodySHA256, string: Hex.encode(SHA256.hash(data: body))),
                KafkaHeader(key: IntakeHeader.requestID, string: requestID),
                KafkaHeader(key: IntakeHeader.signatureVerified, string: "false"),
            ]
        )
        let metrics = self.metrics
        Task {
            do {
                _ = try await producer.send(message)
            } catch {
                metrics.auditFailures.increment()
                logger.warning("inbound audit publish failed", metadata: ["event": "call_inbound", "topic": "\(message.topic)", "error": "\(error)"])
            }
        }
    }

    static func encode(_ variables: [String: String], shape: InboundResponseShape) -> [UInt8] {
        let object = JSONObject(members: variables.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .string($0.value)) })
        var writer = JSONWriter(reservingCapacity: 256)
        switch shape {
        case .flat:
            writer.object(object)
        case .callInbound:
            writer.object(JSONObject(members: [
                .init(key: "call_inbound", value: .object(JSONObject(members: [.init(key: "dynamic_variables", value: .object(object))]))),
            ]))
        }
        return writer.takeBytes()
    }
}
