import Foundation
import HTTPTypes
import HummingbirdTesting
import Intake
import Kafka
import Testing

@Suite("Intake signature verification (no broker)")
struct SignatureVerifierTests {
    let body = Array(#"{"event":"call_started","call":{"call_id":"c1","note":"안녕 👋"}}"#.utf8)
    let now: Int64 = 1_776_000_000_000

    func verifier(_ scheme: SignatureScheme, secrets: [String] = ["old-secret", "new-secret"]) throws -> SignatureVerifier {
        var configuration = SignatureConfiguration()
        configuration.isRequired = true
        configuration.scheme = scheme
        configuration.secrets = secrets
        return try SignatureVerifier(configuration: configuration)
    }

    func code(_ body: () throws -> Void) -> IntakeError.Code? {
        do {
            try body()
            return nil
        } catch let error as IntakeError {
            return error.code
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("Every scheme: a signature made with any configured secret passes (rotation); another secret or body fails", arguments: SignatureScheme.allCases)
    func schemes(_ scheme: SignatureScheme) throws {
        let verifier = try verifier(scheme)
        for secret in ["old-secret", "new-secret"] {
            let header = SignatureVerifier.sign(body: body, secret: secret, scheme: scheme, timestampMilliseconds: now)
            #expect(code { try verifier.verify(body: body, header: header, nowMilliseconds: now) } == nil)
        }
        let forged = SignatureVerifier.sign(body: body, secret: "guess", scheme: scheme, timestampMilliseconds: now)
        #expect(code { try verifier.verify(body: body, header: forged, nowMilliseconds: now) } == .invalidSignature)
        let header = SignatureVerifier.sign(body: body, secret: "new-secret", scheme: scheme, timestampMilliseconds: now)
        #expect(code { try verifier.verify(body: body + [UInt8(ascii: " ")], header: header, nowMilliseconds: now) } == .invalidSignature)
        #expect(code { try verifier.verify(body: body, header: nil, nowMilliseconds: now) } == .missingSignature)
        #expect(code { try verifier.verify(body: body, header: "", nowMilliseconds: now) } == .missingSignature)
        #expect(code { try verifier.verify(body: body, header: "garbage", nowMilliseconds: now) } == .malformedSignature)
    }

    @Test("Timestamped schemes: 5 minutes either way pass, beyond is expired; the documented header forms")
    func tolerance() throws {
        for scheme in [SignatureScheme.timestampedDigest, .timestampedV0] {
            let verifier = try verifier(scheme)
            for skew: Int64 in [-299_000, 0, 299_000] {
                let header = SignatureVerifier.sign(body: body, secret: "old-secret", scheme: scheme, timestampMilliseconds: now + skew)
                #expect(code { try verifier.verify(body: body, header: header, nowMilliseconds: now) } == nil, "\(scheme) \(skew)")
            }
            for skew: Int64 in [-301_000, 301_000, -86_400_000] {
                let header = SignatureVerifier.sign(body: body, secret: "old-secret", scheme: scheme, timestampMilliseconds: now + skew)
                #expect(code { try verifier.verify(body: body, header: header, nowMilliseconds: now) } == .expiredSignature, "\(scheme) \(skew)")
            }
        }
        let retell = SignatureVerifier.sign(body: body, secret: "s", scheme: .timestampedDigest, timestampMilliseconds: now)
        #expect(retell.hasPrefix("v=1776000000000,d=") && retell.count == "v=1776000000000,d=".count + 64)
        let elevenLabs = SignatureVerifier.sign(body: body, secret: "s", scheme: .timestampedV0, timestampMilliseconds: now)
        #expect(elevenLabs.hasPrefix("t=1776000000,v0="))
        // Known answer (RFC 4231 test case 2): HMAC-SHA256("Jefe", "what do ya want for nothing?").
        let known = SignatureVerifier.sign(body: Array("what do ya want for nothing?".utf8), secret: "Jefe", scheme: .plainHex, timestampMilliseconds: 0)
        #expect(known == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let plain = try verifier(.plainHex, secrets: ["Jefe"])
        #expect(code { try plain.verify(body: Array("what do ya want for nothing?".utf8), header: "sha256=" + known.uppercased(), nowMilliseconds: now) } == nil)
    }

    @Test("Required verification without a secret is a configuration error")
    func noSecret() {
        var configuration = SignatureConfiguration()
        configuration.isRequired = true
        #expect(throws: IntakeError.self) { try SignatureVerifier(configuration: configuration) }
    }
}

@Suite("Intake signed call-events webhook, live HTTP on the embedded broker", .serialized)
struct SignedWebhookTests {
    @Test("Signatures on: valid (either secret) → 200 and signature-verified=true; bad, missing, malformed, expired → 401 JSON; nothing else published")
    func signedRequests() async throws {
        try await withEmbeddedCluster { cluster in
            var configuration = testConfiguration(cluster)
            configuration.signature.isRequired = true
            configuration.signature.header = "x-retell-signature"
            configuration.signature.scheme = .timestampedDigest
            configuration.signature.secrets = ["old-secret", "new-secret"]
            let header = HTTPField.Name("x-retell-signature")!
            try await withIntake(configuration) { client in
                func body(_ id: String) -> [UInt8] { Array(#"{"event":"call_started","call":{"call_id":"\#(id)"}}"#.utf8) }
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                for (index, secret) in ["old-secret", "new-secret"].enumerated() {
                    let signed = body("signed-\(index)")
                    let response = try await client.post(IntakeRoute.callEvents, signed, headers: [
                        header: SignatureVerifier.sign(body: signed, secret: secret, scheme: .timestampedDigest, timestampMilliseconds: now),
                    ])
                    #expect(response.status == .ok, "\(response.bodyText)")
                }
                let refused: [(String, HTTPFields, String)] = [
                    ("missing", [:], "missing_signature"),
                    ("wrong secret", [header: SignatureVerifier.sign(body: body("x"), secret: "guess", scheme: .timestampedDigest, timestampMilliseconds: now)], "invalid_signature"),
                    ("other body", [header: SignatureVerifier.sign(body: body("y"), secret: "new-secret", scheme: .timestampedDigest, timestampMilliseconds: now)], "invalid_signature"),
                    ("malformed", [header: "v=abc,d=zz"], "malformed_signature"),
                    ("expired", [header: SignatureVerifier.sign(body: body("x"), secret: "new-secret", scheme: .timestampedDigest, timestampMilliseconds: now - 600_000)], "expired_signature"),
                ]
                for (name, headers, code) in refused {
                    let response = try await client.post(IntakeRoute.callEvents, body("x"), headers: headers)
                    #expect(response.status == .unauthorized, "\(name): \(response.bodyText)")
                    #expect(try response.errorCode() == code, "\(name)")
                }
            }
            let messages = try await readTopic(cluster, topic: eventsTopic, partitions: 4, count: 2)
            #expect(Set(messages.compactMap(\.keyString)) == ["signed-0", "signed-1"])
            #expect(messages.allSatisfy { $0.headers.string(for: "signature-verified") == "true" })
            #expect(try await messageCount(cluster, topic: eventsTopic) == 2)
        }
    }
}
