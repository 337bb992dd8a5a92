import Foundation
import HTTPSink
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A local HTTP receiver for the HTTP sink: verifies each request's signature, answers 500 to the
/// first `failFirst` requests, 422 to records of the calls in `reject`, 200 to the rest, and
/// keeps what it acknowledged.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var callID: String
        var revision: Int
        var status: Int
        var signatureValid: Bool
        var idempotencyKey: String
    }

    let secret: String
    private let remainingFailures: Mutex<Int>
    let reject: Set<String>
    private let log = Mutex<[Delivery]>([])

    init(secret: String, failFirst: Int, reject: Set<String> = []) {
        self.secret = secret
        self.reject = reject
        self.remainingFailures = Mutex(failFirst)
    }

    var deliveries: [Delivery] { log.withLock { $0 } }
    var acknowledged: [Delivery] { deliveries.filter { $0.status == 200 } }

    /// Runs the receiver on a free loopback port during `body`.
    func run<T: Sendable>(_ body: @Sendable (_ url: String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let bytes = Array(buffer: try await request.body.collect(upTo: 4 << 20))
            let timestamp = request.headers[HTTPField.Name("x-callstream-timestamp")!] ?? ""
            let signature = request.headers[HTTPField.Name("x-callstream-signature")!] ?? ""
            let record = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            let fail = self.remainingFailures.withLock { remaining -> Bool in
                guard remaining > 0 else { return false }
                remaining -= 1
                return true
            }
            let callID = record?["call_id"] as? String ?? ""
            let status = fail ? 500 : self.reject.contains(callID) ? 422 : 200
            self.log.withLock {
                $0.append(Delivery(
                    callID: callID, revision: record?["revision"] as? Int ?? 0, status: status,
                    signatureValid: HTTPSignature.verify(signature, body: bytes, timestamp: timestamp, secret: self.secret),
                    idempotencyKey: request.headers[HTTPField.Name("idempotency-key")!] ?? ""
                ))
            }
            return Response(status: HTTPResponse.Status(code: status))
        }
        let port = Mutex<Int?>(nil)
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: testLogger("receiver")
        )
        let group = ServiceGroup(services: [application], gracefulShutdownSignals: [], logger: testLogger("receiver"))
        let server = Task { try await group.run() }
        defer { server.cancel() }
        while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let result = try await body("http://127.0.0.1:\(port.withLock { $0 }!)/hook")
        await group.triggerGracefulShutdown()
        _ = try? await server.value
        return result
    }
}
