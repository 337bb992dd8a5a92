import Foundation
import Kafka
import Reliability
import Testing

extension ReliabilityProcessTests {
    /// The intake with every broker down, and SIGTERM of intake and worker under load.
    @Suite("Reliability: broker outage and SIGTERM under load")
    struct OutageAndShutdownTests {
        /// Every broker down while load flows: the intake answers 503 with Retry-After and never 2xx
        /// (an acknowledged webhook is in the topic, which the check proves); the load generator retries
        /// as the platform does; after the brokers return, every acknowledged event has its record.
        @Test func intakeUnderBrokerOutageAnswers503AndSendersRetriesLoseNothing() async throws {
            try await ReliabilityStack.with { stack in
                let cluster = stack.cluster
                try await stack.startIntake()
                try stack.startWorker()
                let (load, log) = try stack.startLoad(calls: isLongRun ? 600 : 150, rate: 150)
                try await Task.sleep(for: .seconds(2))
                for broker: Int32 in 1...3 { try cluster.setBrokerDown(broker) }
                // A webhook of our own during the outage: 503 with Retry-After once the publish timeout (3 s) passes.
                let body = Array(#"{"event":"call_started","call":{"call_id":"outage-probe","agent_id":"a","start_timestamp":1775990000000}}"#.utf8)
                let answer = try RawHTTP(port: stack.intakePort).exchange("POST", "/webhooks/vox/call-events", body: body)
                #expect(answer?.status == 503)
                #expect(answer?.headers["retry-after"] == "1")
                #expect(answer?.errorCode == "broker_unavailable")
                try await Task.sleep(for: .seconds(isLongRun ? 10 : 4))
                for broker: Int32 in 1...3 { try cluster.setBrokerUp(broker) }
                #expect(await load.waitForExit(timeout: .seconds(300)) != nil, "the load ended")
                let report = try await stack.verify(log: log)
                // Not a promise (a 503 means "not acknowledged", not "not stored": a produce request in
                // flight when the timeout struck may have been stored), so reported, not asserted.
                let raw = try await TopicSnapshot.read(topic: "callstream.events", bootstrapServers: cluster.bootstrapServers, logger: testLogger("read"))
                reportFigure("outage: the webhook answered 503 is in the raw topic after all: \(raw.contains { $0.key == Array("outage-probe".utf8) })")
                let status503 = load.output.contains("503×")
                reportFigure("outage: \(load.output.split(separator: "\n").last { $0.hasPrefix("load:") } ?? "") | \(report)")
                #expect(status503, "the load met 503s during the outage")
                #expect(report.passed, "\(report)")
                #expect(loadFigure(load.output, "failed") == 0, "every webhook acknowledged after retries")
            }
        }

        /// SIGTERM to the intake and to a worker while load flows: both exit 0 within 10 s (the intake
        /// drains the requests in flight, the worker commits); restarted, the run loses nothing.
        @Test func sigtermUnderLoadExitsWithinTenSecondsAndLosesNothing() async throws {
            try await ReliabilityStack.with { stack in
                let intake = try await stack.startIntake()
                let worker = try stack.startWorker()
                let (load, log) = try stack.startLoad(calls: isLongRun ? 600 : 150, rate: 150)
                try await Task.sleep(for: .seconds(3))
                async let intakeExit = intake.terminate()
                async let workerExit = worker.terminate()
                let (intakeTook, workerTook) = await (intakeExit, workerExit)
                reportFigure("sigterm: intake exited after \(intakeTook.map { "\($0)" } ?? "more than 15 s"), worker after \(workerTook.map { "\($0)" } ?? "more than 15 s")")
                #expect(intakeTook.map { $0 < .seconds(10) } == true)
                #expect(workerTook.map { $0 < .seconds(10) } == true)
                #expect(intake.process.terminationStatus == 0)
                #expect(worker.process.terminationStatus == 0)
                stack.removeWorker(worker)
                try await stack.startIntake()
                try stack.startWorker()
                #expect(await load.waitForExit(timeout: .seconds(300)) != nil, "the load ended")
                let report = try await stack.verify(log: log)
                reportFigure("sigterm: \(load.output.split(separator: "\n").last { $0.hasPrefix("load:") } ?? "") | \(report)")
                #expect(report.passed, "\(report)")
                #expect(loadFigure(load.output, "failed") == 0)
            }
        }
    }
}
