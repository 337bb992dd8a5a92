import Foundation
import Intake
import Testing

@Suite("callstream post-samples and health as separate processes, against a live intake on the embedded broker")
struct PostSamplesCommandTests {
    @Test("post-samples sends every sample webhook, each acknowledged and on the events topic; health sees /healthz")
    func postSamplesAndHealth() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: callstreamExecutable.path), "build callstream first")
        let webhooks = try sampleWebhooks().count
        try await withEmbeddedCluster { cluster in
            try await withIntake(testConfiguration(cluster)) { client in
                let url = "http://127.0.0.1:\(try #require(client.port))"
                let posted = try await runCallstream(["post-samples", "--url", url, "--samples", "config/samples"])
                #expect(posted.status == 0, "\(posted.output)")
                #expect(posted.output.contains("posted \(webhooks) webhooks of 5 calls to \(url); \(webhooks) accepted"), "\(posted.output)")
                // A generous bound (the other suites load the machine meanwhile), not a speed goal.
                let healthy = try await runCallstream(["health", "--url", url + IntakeRoute.health, "--timeout", "30"])
                #expect(healthy.status == 0, "\(healthy.output)")
            }
            #expect(try await messageCount(cluster, topic: eventsTopic) == Int64(webhooks))
        }
        let nobody = try await runCallstream(["health", "--url", "http://127.0.0.1:1/healthz", "--timeout", "2"])
        #expect(nobody.status == 1 && nobody.output.contains("no answer"), "\(nobody.output)")
    }
}
