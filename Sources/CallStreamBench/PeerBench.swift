import Foundation
import Kafka
import Logging

/// CallStream next to the Python reference peer (``ReferencePeer``) on one embedded broker, in the
/// same rounds, so the load of the 2 shared cores falls on both alike: call-events req/s under wrk
/// (the intake section's script and connections), and events per second assembled from the worker
/// section's preloaded topic, with kcat reading that topic as the ceiling.
struct PeerBench {
    let cluster: EmbeddedKafkaCluster
    let logger: Logger
    let peer: ReferencePeer
    let duration: Int
    let workerCalls: Int

    func run() async throws -> [BenchResult] {
        try await intake() + worker()
    }

    /// Both intakes serving at once; three rounds of wrk against the peer's call-events, ours, and
    /// the peer's hello world; medians.
    private func intake() async throws -> [BenchResult] {
        let intake = IntakeBench(cluster: cluster, logger: logger, duration: duration)
        let topic = "bench.peer.events"
        try cluster.createTopic(topic, partitions: 12)
        let figures = try await intake.withIntake { ours in
            try await peer.withIntake(bootstrapServers: cluster.bootstrapServers, topic: topic) { theirs in
                try await Wrk.withScripts([IntakeBench.callEventsLua]) { scripts in
                    let targets = [intake.callEvents(base: theirs, script: scripts[0]), intake.callEvents(base: ours, script: scripts[0]), intake.hello(base: theirs)]
                    try Wrk.warm(targets[0])
                    try Wrk.warm(targets[1])
                    return try Wrk.medians(of: targets, seconds: duration)
                }
            }
        }
        let (peerCallEvents, ourCallEvents, peerHello) = (figures[0], figures[1].requestsPerSecond, figures[2])
        let latency = "peer p50 \(BenchResult.format(peerCallEvents.p50Milliseconds)) ms, p99 \(BenchResult.format(peerCallEvents.p99Milliseconds)) ms"
        return [
            BenchResult(name: "Python peer intake hello world `GET /healthz` (FastAPI, uvicorn, 2 workers), \(intake.connections) connections (median of 3)",
                        value: peerHello.requestsPerSecond, unit: "req/s"),
            BenchResult(name: "intake `POST call-events` next to the Python peer's (FastAPI + confluent-kafka, acks=all, 2 uvicorn workers; \(latency)), "
                            + "\(intake.connections) connections, same rounds (median of 3)",
                        value: ourCallEvents, unit: "req/s", reference: peerCallEvents.requestsPerSecond, referenceName: "Python peer",
                        target: "≥ 10× the Python peer", met: ourCallEvents >= 10 * peerCallEvents.requestsPerSecond),
        ]
    }

    /// Three rounds of kcat, the Python worker and ours, each reading the preloaded topic from the
    /// beginning (the workers in a group of their own); medians.
    private func worker() async throws -> [BenchResult] {
        let bench = WorkerBench(cluster: cluster, calls: workerCalls, logger: logger)
        let total = try await bench.prepare()
        var kcatRates: [Double] = []
        var peerRates: [Double] = []
        var ourRates: [Double] = []
        for round in 0..<3 {
            kcatRates.append(try bench.kcatRate(total: total))
            peerRates.append(try peer.workerRate(
                bootstrapServers: cluster.bootstrapServers, topic: bench.topic, recordsTopic: bench.recordsTopic,
                records: workerCalls, eventsPerRecord: WorkerBench.eventsPerRecord, group: "bench-peer-\(round)"
            ))
            ourRates.append(try await bench.replayProcess(total: total, round: round).rate)
        }
        let (kcatRate, peerRate, ourRate) = (median(kcatRates), median(peerRates), median(ourRates))
        return [
            BenchResult(name: "worker next to the Python peer's consumer loop (confluent-kafka, json, a dict per call), \(workerCalls) calls, \(total) events, "
                            + "same rounds (median of 3)",
                        value: ourRate, unit: "events/s", reference: peerRate, referenceName: "Python peer worker"),
            BenchResult(name: "Python peer worker next to kcat consuming the same topic (the issue expects kcat ≈ 4× the Python worker: ≈ 0.25×; median of 3)",
                        value: peerRate, unit: "events/s", reference: kcatRate, referenceName: "kcat consuming the same topic"),
        ]
    }
}
