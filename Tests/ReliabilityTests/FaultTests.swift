import Foundation
import Kafka
import Reliability
import Testing

extension ReliabilityProcessTests {
    /// Real processes (intake, workers, load generator) on an embedded three-broker cluster in the test
    /// process, under crashes and broker faults; each test ends with the invariant check, and zero
    /// violations is the only pass.
    @Suite("Reliability: crashes and broker faults under load")
    struct FaultTests {
        /// Workers killed with SIGKILL at random moments while load flows (3 in `make test`, 20 in
        /// `make reliability`); two or three workers in the group, so every kill and start rebalances.
        /// Each kill waits until the group emits again after the last one (so that it strikes a worker
        /// at work, with records emitted past its last commit), then a random 0–1.5 s more.
        @Test func sigkillOfWorkersMidStreamLosesNothing() async throws {
            let kills = isLongRun ? 20 : 3
            try await ReliabilityStack.with { stack in
                try await stack.startIntake()
                try stack.startWorker()
                try stack.startWorker()
                let (load, log) = try stack.startLoad(calls: isLongRun ? 3000 : 400, rate: 150)
                var random = SystemRandomNumberGenerator()
                var recordsAtLastKill: Int64 = 0
                var midStream = 0
                for trial in 1...kills {
                    let deadline = ContinuousClock.now + .seconds(30)
                    while try await stack.recordCount() < recordsAtLastKill + 10, ContinuousClock.now < deadline, load.isRunning {
                        try await Task.sleep(for: .milliseconds(300))
                    }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...1500, using: &random)))
                    let records = try await stack.recordCount()
                    if records >= recordsAtLastKill + 10, load.isRunning { midStream += 1 }
                    recordsAtLastKill = records
                    let victim = stack.workers[Int.random(in: 0..<stack.workers.count, using: &random)]
                    await victim.killNow()
                    stack.removeWorker(victim)
                    try stack.startWorker()
                    if trial % 4 == 0, stack.workers.count < 3 { try stack.startWorker() }
                    if trial % 4 == 2, stack.workers.count > 2 {
                        let leaving = stack.workers[0]
                        _ = await leaving.terminate()
                        stack.removeWorker(leaving)
                    }
                }
                #expect(await load.waitForExit(timeout: .seconds(600)) != nil, "the load ended")
                let report = try await stack.verify(log: log)
                reportFigure("sigkill: kills=\(kills) while records flowed=\(midStream) \(load.output.split(separator: "\n").last { $0.hasPrefix("load:") } ?? "") | \(report)")
                #expect(report.passed, "\(report)")
                #expect(report.acknowledgedWebhooks == loadFigure(load.output, "acknowledged"))
                #expect(loadFigure(load.output, "failed") == 0)
            }
        }

        /// Broker faults one after another while load flows: 500 ms round trips, request errors on
        /// produce, fetch, offset commit and join-group, leader moves, a coordinator move, a broker
        /// down and up. (It found the producer's implicit acknowledgements: RELIABILITY.md, "Found and fixed".)
        @Test
        func brokerFaultsUnderLoadLoseNothing() async throws {
            try await ReliabilityStack.with { stack in
                let cluster = stack.cluster
                try await stack.startIntake()
                try stack.startWorker()
                try stack.startWorker()
                let (load, log) = try stack.startLoad(calls: isLongRun ? 800 : 300, rate: 200)
                let pause: Duration = isLongRun ? .seconds(4) : .milliseconds(1500)
                try await Task.sleep(for: pause)
                for broker: Int32 in 1...3 { try cluster.setRoundTripTime(.milliseconds(500), broker: broker) }
                try await Task.sleep(for: pause)
                for broker: Int32 in 1...3 { try cluster.setRoundTripTime(.zero, broker: broker) }
                let retriable: [KafkaBrokerError] = [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas]
                cluster.pushRequestErrors(.produce, Array(repeating: retriable, count: 5).flatMap { $0 })
                cluster.pushRequestErrors(.fetch, Array(repeating: .notLeaderForPartition, count: 10))
                cluster.pushRequestErrors(.offsetCommit, Array(repeating: .requestTimedOut, count: 5))
                cluster.pushRequestErrors(.joinGroup, Array(repeating: .coordinatorNotAvailable, count: 3))
                try await Task.sleep(for: pause)
                // A rebalance, so the join-group errors are met.
                try stack.startWorker()
                for partition in 0..<ReliabilityStack.partitions {
                    try cluster.setPartitionLeader(topic: "callstream.events", partition: partition, broker: partition % 3 + 1)
                    try cluster.setPartitionLeader(topic: "callstream.records", partition: partition, broker: (partition + 1) % 3 + 1)
                }
                try cluster.setGroupCoordinator("callstream-workers", broker: 2)
                try await Task.sleep(for: pause)
                try cluster.setBrokerDown(3)
                try await Task.sleep(for: isLongRun ? .seconds(6) : .seconds(3))
                try cluster.setBrokerUp(3)
                #expect(await load.waitForExit(timeout: .seconds(300)) != nil, "the load ended")
                for api in [KafkaAPIKey.produce, .fetch, .offsetCommit, .joinGroup] { cluster.clearRequestErrors(api) }
                let report = try await stack.verify(log: log)
                reportFigure("broker faults: \(load.output.split(separator: "\n").last { $0.hasPrefix("load:") } ?? "") | \(report)")
                #expect(report.passed, "\(report)")
                #expect(loadFigure(load.output, "failed") == 0)
            }
        }
    }
}
