import Foundation
import Intake
import Reliability
import Testing

extension ReliabilityProcessTests {
    /// Secrets and the sensitive fields of an opted-out call never reach the logs, even at trace level;
    /// the record of an opted-out call carries none of them.
    @Suite("Reliability: secrets and sensitive data stay out of logs")
    struct SecurityTests {
        static let secret = "s3cr3t-MARKER-7f1c"
        static let sensitive = "SENSITIVE-MARKER-51d2"

        static func optedOutCall(_ callID: String, startMs: Int64) -> [[UInt8]] {
            let call = #""call_id":"\#(callID)","agent_id":"a","call_type":"outbound","call_from":"+8210","call_to":"+8270","#
                + #""dynamic_variables":{"ssn":"\#(sensitive)"},"opt_out_sensitive_data_storage":true,"start_timestamp":\#(startMs)"#
            return [
                #"{"event":"call_started","call":{\#(call)}}"#,
                #"{"event":"mid_call","mid_call":{"call_id":"\#(callID)","timestamp":\#(startMs + 10),"event_type":"call_message","event_data":{"role":"user","content":"my number is \#(sensitive)"}}}"#,
                #"{"event":"call_ended","call":{\#(call),"end_timestamp":\#(startMs + 20),"recording_url":"https://rec/\#(sensitive)","transcript":[{"role":"user","content":"\#(sensitive)"}]}}"#,
            ].map { Array($0.utf8) }
        }

        @Test func secretsAndOptedOutFieldsAreNeverLogged() async throws {
            try await ReliabilityStack.with(brokers: 1) { stack in
                let intake = try await stack.startIntake(
                    extra: ["--intake-signature-required", "true", "--log-level", "trace"],
                    environment: ["INTAKE_SIGNATURE_SECRETS": Self.secret]
                )
                let worker = try stack.startWorker(extra: ["--log-level", "trace"])
                let http = RawHTTP(port: stack.intakePort)
                let path = "/webhooks/vox/call-events"
                let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
                let bodies = Self.optedOutCall("secure-1", startMs: nowMs)

                #expect(try http.exchange("POST", path, body: bodies[0])?.errorCode == "missing_signature")
                let forged = SignatureVerifier.sign(body: bodies[0], secret: "wrong", scheme: .timestampedDigest, timestampMilliseconds: nowMs)
                #expect(try http.exchange("POST", path, body: bodies[0], extraHeaders: "x-vox-signature: \(forged)\r\n")?.errorCode == "invalid_signature")
                let stale = SignatureVerifier.sign(body: bodies[0], secret: Self.secret, scheme: .timestampedDigest, timestampMilliseconds: nowMs - 3_600_000)
                #expect(try http.exchange("POST", path, body: bodies[0], extraHeaders: "x-vox-signature: \(stale)\r\n")?.errorCode == "expired_signature")
                for body in bodies {
                    let signature = SignatureVerifier.sign(body: body, secret: Self.secret, scheme: .timestampedDigest, timestampMilliseconds: nowMs)
                    #expect(try http.exchange("POST", path, body: body, extraHeaders: "x-vox-signature: \(signature)\r\n")?.status == 200)
                }

                var record: TopicMessage?
                let deadline = ContinuousClock.now + .seconds(60)
                while record == nil, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .seconds(1))
                    record = try await TopicSnapshot.read(topic: "callstream.records", bootstrapServers: stack.cluster.bootstrapServers, logger: testLogger("read"))
                        .first { $0.key == Array("secure-1".utf8) }
                }
                let text = record.map { String(decoding: $0.value, as: UTF8.self) } ?? ""
                #expect(text.contains(#""sensitive_data_redacted":true"#), "\(text)")
                #expect(!text.contains(Self.sensitive), "no transcript, message, recording url or dynamic variable in the record")

                _ = await intake.terminate()
                _ = await worker.terminate()
                for process in [intake, worker] {
                    #expect(!process.output.isEmpty, "\(process.name) logged at trace level")
                    #expect(!process.output.contains(Self.secret), "\(process.name) never logs the secret")
                    #expect(!process.output.contains(Self.sensitive), "\(process.name) never logs the opted-out call's fields")
                }
            }
        }
    }
}
