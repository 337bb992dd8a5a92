import Foundation
import Kafka
import Logging

/// CallStream next to the Python reference peer (``ReferencePeer``) on one embedded broker, under
/// the same load as the intake and worker sections: call-events req/s under wrk (the intake
/// section's script and connections), and events per second assembled from the worker section's
/// preloaded topic, with kcat reading that topic as the ceiling.
struct PeerBench {
    /// Our figures from this run's intake and worker sections; each one absent is measured here.
    struct OurFigures {
        var intakeCallEvents: Double?
        var worker: Double?
    }

    let cluster: EmbeddedKafkaCluster
    let logger: Logger
    let peer: ReferencePeer
    let duration: Int
    let workerCalls: Int
    let ours: OurFigures

    func run() async throws -> [BenchResult] {
        try await intake() + worker()
    }

    private func intake() async throws -> [BenchResult] {
        let intake = IntakeBench(cluster: cluster, logger: logger, duration: duration)
        let topic = "bench.peer.events"
        try cluster.createTopic(topic, partitions: 12)
        let peerFigures = try await peer.withIntake(bootstrapServers: cluster.bootstrapServers, topic: topic) { base in
            try await callEvents(at: base, hello: true)
        }
        let peerCallEvents = peerFigures.callEvents.requestsPerSecond
        let ourCallEvents: Double
        let source: String
        if let measured = ours.intakeCallEvents {
            (ourCallEvents, source) = (measured, "from the intake section")
        } else {
            (ourCallEvents, source) = (try await intake.withIntake { try await callEvents(at: $0, hello: false).callEvents.requestsPerSecond }, "measured here")
        }
        let latency = "peer p50 \(BenchResult.format(peerFigures.callEvents.p50Milliseconds)) ms, p99 \(BenchResult.format(peerFigures.callEvents.p99Milliseconds)) ms"
        return [
            BenchResult(name: "Python peer intake hello world `GET /healthz` (FastAPI, uvicorn, 2 workers), \(intake.connections) connections (median of 3)",
                        value: peerFigures.hello?.requestsPerSecond ?? 0, unit: "req/s"),
            BenchResult(name: "intake `POST call-events` next to the Python peer's (FastAPI + confluent-kafka, acks=all, 2 uvicorn workers; \(latency)), "
                            + "\(intake.connections) connections (median of 3; ours \(source))",
                        value: ourCallEvents, unit: "req/s", reference: peerCallEvents, referenceName: "Python peer",
                        target: "≥ 10× the Python peer", met: ourCallEvents >= 10 * peerCallEvents),
        ]
    }

    /// Call-events (and the hello-world route, when `hello`) at `base`, as the intake section
    /// measures them: warmed, then the median of 3 rounds.
    private func callEvents(at base: String, hello: Bool) async throws -> (callEvents: Wrk, hello: Wrk?) {
        let intake = IntakeBench(cluster: cluster, logger: logger, duration: duration)
        return try await Wrk.withScripts([IntakeBench.callEventsLua]) { scripts in
            let callEvents = intake.callEvents(base: base, script: scripts[0])
            try Wrk.warm(callEvents)
            let figures = try Wrk.medians(of: [callEvents] + (hello ? [intake.hello(base: base)] : []), seconds: duration)
            return (figures[0], hello ? figures[1] : nil)
        }
    }

    /// Three rounds of kcat, the Python worker and (when the worker section did not run) ours,
    /// each reading the preloaded topic from the beginning in a group of its own; medians.
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
            if ours.worker == nil { ourRates.append(try await bench.replay(group: "bench-worker-\(round)")) }
        }
        let (kcatRate, peerRate) = (median(kcatRates), median(peerRates))
        let ourRate = ours.worker ?? median(ourRates)
        let source = ours.worker == nil ? "measured here" : "from the worker section"
        return [
            BenchResult(name: "worker next to the Python peer's consumer loop (confluent-kafka, json, a dict per call), \(workerCalls) calls, \(total) events "
                            + "(median of 3; ours \(source))",
                        value: ourRate, unit: "events/s", reference: peerRate, referenceName: "Python peer worker"),
            BenchResult(name: "Python peer worker next to kcat consuming the same topic (the issue expects kcat ≈ 4× the Python worker: ≈ 0.25×; median of 3)",
                        value: peerRate, unit: "events/s", reference: kcatRate, referenceName: "kcat consuming the same topic"),
        ]
    }
}
