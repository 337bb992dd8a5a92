import CallEvents
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Kafka
import Logging
import NIOCore

/// `POST /webhooks/vox/call-events`: checks size, signature and `call_id`, publishes the raw body
/// unchanged (key = call_id) and answers 200 only once the broker acknowledged it.
struct CallEventsHandler: Sendable {
    let topic: String
    let maximumBodyBytes: Int
    let signatureHeader: HTTPField.Name?
    let verifier: SignatureVerifier?
    let publisher: EventPublisher

    func handle(_ request: Request, context: some RequestContext) async throws(IntakeError) -> Response {
        let receivedAtMilliseconds = Self.nowMilliseconds()
        let body = try await request.bodyBytes(limit: maximumBodyBytes)
        if let verifier {
            try verifier.verify(body: body, header: signatureHeader.flatMap { request.headers[$0] }, nowMilliseconds: receivedAtMilliseconds)
        }
        let key: EventKey
        do {
            key = try EventKey.extract(from: body)
        } catch {
            throw IntakeError(error)
        }
        // Ticks are written by workers only: one from outside would move stream time.
        guard key.event != .tick else {
            throw IntakeError(.unknownEvent, "event \(key.event.rawValue) is internal to CallStream and not accepted from outside")
        }
        guard let callID = key.callID, !callID.isEmpty else {
            throw IntakeError(.missingCallID, "event \(key.event.rawValue) has no call_id (or it is empty)")
        }
        // Packed headers: one allocation, not one per value.
        var headers = KafkaHeaders()
        headers.reserveCapacity(headers: 6, bytes: 256)
        headers.append(key: IntakeHeader.event, string: key.event.rawValue)
        headers.append(key: IntakeHeader.webhookVersion, string: key.webhookVersion.rawValue)
        headers.append(key: IntakeHeader.receivedAt, string: String(receivedAtMilliseconds))
        headers.append(key: IntakeHeader.bodySHA256, string: Hex.encode(SHA256.hash(data: body)))
        headers.append(key: IntakeHeader.requestID, string: context.id)
        headers.append(key: IntakeHeader.signatureVerified, string: verifier == nil ? "false" : "true")
        let message = KafkaProducerMessage(topic: topic, key: Array(callID.utf8), value: body, headers: headers)
        let report: KafkaDeliveryReport
        do {
            report = try await publisher.publish(message)
        } catch {
            context.logger.warning("webhook not acknowledged", metadata: [
                "call_id": "\(callID)", "event": "\(key.event.rawValue)", "topic": "\(topic)", "error": "\(error.message)",
            ])
            throw error
        }
        context.logger.debug("webhook published", metadata: [
            "call_id": "\(callID)", "event": "\(key.event.rawValue)", "topic": "\(report.topic)",
            "partition": "\(report.partition)", "offset": "\(report.offset)",
        ])
        var writer = JSONWriter(reservingCapacity: 96 + callID.utf8.count)
        writer.object(JSONObject(members: [
            .init(key: "status", value: .string("accepted")),
            .init(key: "call_id", value: .string(callID)),
            .init(key: "event", value: .string(key.event.rawValue)),
        ]))
        return Response.json(writer.takeBytes(), status: .ok)
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
