import CallEvents
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Intake
import Kafka
import Testing

@Suite("Intake call-events webhook, live HTTP on the embedded broker", .serialized)
struct CallEventsWebhookTests {
    @Test("Each sample webhook: 200 only once on the topic; exactly one message, body byte-identical, key = call_id, headers set")
    func samplesArePublishedByteIdentical() async throws {
        let samples = try sampleWebhooks()
        #expect(samples.count >= 20)
        try await withEmbeddedCluster { cluster in
            try await withIntake(testConfiguration(cluster)) { client in
                for (index, body) in samples.enumerated() {
                    let response = try await client.post(IntakeRoute.callEvents, body)
                    #expect(response.status == .ok, "sample \(index): \(response.bodyText)")
                    #expect(try response.jsonObject()["status"]?.stringValue == "accepted")
                    // The answer came after the acknowledgement: the broker holds the message already.
                    #expect(try await messageCount(cluster, topic: eventsTopic) == Int64(index + 1))
                }
            }
            let messages = try await readTopic(cluster, topic: eventsTopic, partitions: 4, count: samples.count)
            #expect(messages.count == samples.count)
            #expect(Set(messages.map(\.value)) == Set(samples), "bodies byte-identical")
            for message in messages {
                let key = try EventKey.extract(from: message.value)
                #expect(message.keyString == key.callID)
                #expect(message.headers.string(for: "event") == key.event.rawValue)
                #expect(message.headers.string(for: "webhook-version") == key.webhookVersion.rawValue)
                #expect(message.headers.string(for: "body-sha256") == SHA256.hash(data: message.value).map { String(format: "%02x", $0) }.joined())
                #expect(message.headers.string(for: "signature-verified") == "false")
                #expect(Int64(message.headers.string(for: "received-at-ms") ?? "") ?? 0 > 1_700_000_000_000)
                #expect(message.headers.string(for: "request-id")?.isEmpty == false)
            }
            // Requests on one connection get distinct ids.
            #expect(Set(messages.compactMap { $0.headers.string(for: "request-id") }).count == samples.count)
        }
    }

    @Test("Empty, not JSON, not an object, no event, unknown event, a tick, no call_id, oversize: the documented 4xx with a JSON error; nothing published")
    func invalidBodiesAreRefused() async throws {
        try await withEmbeddedCluster { cluster in
            var configuration = testConfiguration(cluster)
            configuration.maximumBodyBytes = 4096
            let cases: [(String, [UInt8], HTTPResponse.Status, String)] = [
                ("empty", [], .badRequest, "empty_body"),
                ("whitespace", Array("  \n".utf8), .badRequest, "empty_body"),
                ("not JSON", Array("hello".utf8), .badRequest, "not_json"),
                ("truncated", Array(#"{"event":"call_started","call":{"call_id":"c1""#.utf8), .badRequest, "not_json"),
                ("array", Array("[1,2]".utf8), .badRequest, "not_an_object"),
                ("no event", Array(#"{"call":{"call_id":"c1"}}"#.utf8), .badRequest, "missing_event"),
                ("unknown event", Array(#"{"event":"call_exploded","call":{"call_id":"c1"}}"#.utf8), .badRequest, "unknown_event"),
                ("tick", Array(#"{"event":"callstream_tick","at_ms":1776000000000}"#.utf8), .badRequest, "unknown_event"),
                ("no call_id", Array(#"{"event":"call_started","call":{"agent_id":"a"}}"#.utf8), .badRequest, "missing_call_id"),
                ("empty call_id", Array(#"{"event":"call_ended","call":{"call_id":""}}"#.utf8), .badRequest, "missing_call_id"),
                ("oversize", Array(#"{"event":"call_started","call":{"call_id":"c1","pad":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 8192) + Array(#""}}"#.utf8), .contentTooLarge, "body_too_large"),
            ]
            try await withIntake(configuration) { client in
                for (name, body, status, code) in cases {
                    let response = try await client.post(IntakeRoute.callEvents, body)
                    #expect(response.status == status, "\(name): \(response.bodyText)")
                    #expect(response.headers[.contentType] == "application/json", "\(name)")
                    let object = try response.jsonObject()
                    #expect(object["error"]?.stringValue == code, "\(name): \(response.bodyText)")
                    #expect(object["message"]?.stringValue?.isEmpty == false, "\(name)")
                }
                let unknown = try await client.execute(uri: "/webhooks/vox/nothing", method: .post)
                #expect(unknown.status == .notFound)
                #expect(try unknown.errorCode() == "not_found")
                let wrongMethod = try await client.execute(uri: IntakeRoute.callEvents, method: .get)
                #expect([.notFound, .methodNotAllowed].contains(wrongMethod.status))
                #expect(["not_found", "method_not_allowed"].contains(try wrongMethod.errorCode() ?? ""))
                // The connection still serves valid webhooks after the refusals.
                let ok = try await client.post(IntakeRoute.callEvents, #"{"event":"call_started","call":{"call_id":"after"}}"#)
                #expect(ok.status == .ok)
            }
            #expect(try await messageCount(cluster, topic: eventsTopic) == 1, "only the valid webhook was published")
        }
    }

    @Test("Broker down: 503 with Retry-After (never a 2xx); after recovery every acknowledged event is on the topic")
    func brokerDownGives503ThenRecovers() async throws {
        try await withEmbeddedCluster { cluster in
            var configuration = testConfiguration(cluster)
            configuration.publishTimeout = .seconds(2)
            configuration.retryAfterSeconds = 7
            let acknowledged = try await withIntake(configuration) { client in
                var acknowledged: [[UInt8]] = []
                func send(_ callID: String) async throws -> TestResponse {
                    let body = Array(#"{"event":"call_started","call":{"call_id":"\#(callID)","start_timestamp":1776000000000}}"#.utf8)
                    let response = try await client.post(IntakeRoute.callEvents, body)
                    if response.status == .ok { acknowledged.append(body) }
                    return response
                }
                #expect(try await send("before-outage").status == .ok)

                try cluster.setBrokerDown(1)
                for index in 0..<2 {
                    let response = try await send("during-outage-\(index)")
                    #expect(response.status == .serviceUnavailable, "\(response.bodyText)")
                    #expect(response.headers[.retryAfter] == "7")
                    #expect(try response.errorCode() == "broker_unavailable")
                }

                try cluster.setBrokerUp(1)
                // As the platform would: retry until the broker is back.
                try await eventually("a webhook is acknowledged after recovery", timeout: .seconds(60)) {
                    try await send("after-outage").status == .ok
                }
                return acknowledged
            }
            #expect(acknowledged.count == 2)
            let total = try await messageCount(cluster, topic: eventsTopic)
            let messages = try await readTopic(cluster, topic: eventsTopic, partitions: 4, count: Int(total))
            let published = Set(messages.map(\.value))
            for body in acknowledged {
                #expect(published.contains(body), "acknowledged event \(String(decoding: body, as: UTF8.self)) is on the topic")
            }
        }
    }

    @Test("Health and metrics: requests by route and status, publish latency, in flight, directory size")
    func healthAndMetrics() async throws {
        try await withEmbeddedCluster { cluster in
            try await withIntake(testConfiguration(cluster)) { client in
                let health = try await client.execute(uri: IntakeRoute.health, method: .get)
                #expect(health.status == .ok)
                _ = try await client.post(IntakeRoute.callEvents, #"{"event":"call_started","call":{"call_id":"m1"}}"#)
                _ = try await client.post(IntakeRoute.callEvents, "nope")
                try await eventually("ready") {
                    try await client.execute(uri: IntakeRoute.readiness, method: .get).status == .ok
                }
                let metrics = try await client.execute(uri: IntakeRoute.metrics, method: .get)
                #expect(metrics.status == .ok)
                let text = metrics.bodyText
                #expect(text.contains(#"callstream_intake_requests_total{route="/webhooks/vox/call-events",status="200"} 1"#), "\(text)")
                #expect(text.contains(#"callstream_intake_requests_total{route="/webhooks/vox/call-events",status="400"} 1"#))
                #expect(text.contains("callstream_intake_publish_duration_seconds_count 1"))
                #expect(text.contains("callstream_intake_requests_in_flight"))
                #expect(text.contains("callstream_intake_directory_numbers"))
            }
        }
    }
}
