import ArgumentParser
import Foundation
import Kafka
import Logging

/// `callstream-bench`: the figures `make bench` reports, each next to its reference, in one run.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callstream-bench",
        abstract: "Measure the Kafka wrapper against kcat and the call assembler, on an embedded broker."
    )

    @Option(help: "Messages per Kafka measurement (the embedded broker keeps 5 MiB per partition, 12 partitions here).")
    var messages: Int = 48_000

    @Option(help: "Size of each message in bytes.")
    var messageSize: Int = 1024

    @Option(help: "Open calls in the assembler measurement.")
    var calls: Int = 20_000

    @Option(help: "Calls of 21 events each preloaded for the worker measurement.")
    var workerCalls: Int = 5_000

    @Option(help: "Seconds per wrk run against the intake.")
    var seconds: Int = 5

    @Option(help: "Run only the wrapper's sends (`single` or `batch`), for a profiler; prints nothing.")
    var profileProducer: String?

    @Flag(help: "Run only the worker's decode-and-assemble loop without a broker, for a profiler; prints its rate.")
    var profileWorkerLoop = false

    @Flag(help: "Run only the worker's replays of the preloaded topic (ten, no kcat), for a profiler; prints their rates.")
    var profileWorker = false

    @Flag(help: "Run only `callstream replay` processes on the preloaded topic (no kcat), --rounds of them; prints each one's rate, CPU per event and page faults, and the medians.")
    var profileWorkerProcess = false

    @Option(help: "With --profile-worker-process: a `callstream` binary to replay with (repeat it to compare builds: rounds alternate between them; default: the one beside this bench).")
    var workerBinary: [String] = []

    @Option(help: "With --profile-worker-process: how many replays.")
    var rounds = 6

    @Option(help: "Run only wrk against the intake's call-events route (or `hello`) for --seconds, for a profiler; prints the rate.")
    var profileIntake: String?

    @Option(help: "Run only these sections, comma-separated: kafka, worker, intake, peer, e2e, assembly, instructions (all when absent).")
    var only: String?

    @Option(help: "Leave out these sections, comma-separated (e.g. `peer` for a quick pass).")
    var skip: String?

    @Option(help: "The Python reference peer's venv (`make bench-deps` creates it); the peer section is skipped without it.")
    var peerVenv = ".build/peer-venv"

    @Option(help: "Write the results as Markdown to this file.")
    var markdown: String?

    func run() async throws {
        var logger = Logger(label: "callstream.bench")
        logger.logLevel = .error
        if let profileProducer {
            try await withCluster(logger) { cluster in
                try await KafkaBench(cluster: cluster, messages: messages, messageSize: messageSize, logger: logger)
                    .profileProducer(batch: profileProducer == "batch" ? 1000 : nil)
            }
            return
        }
        if profileWorkerLoop {
            let (rate, records) = WorkerLoopBench(calls: workerCalls).run(rounds: 3)
            print("worker loop: \(Int(rate)) events per CPU second, \(records) records")
            return
        }
        if profileWorker {
            try await withCluster(logger) { cluster in
                let bench = WorkerBench(cluster: cluster, calls: workerCalls, logger: logger)
                _ = try await bench.prepare()
                for round in 0..<10 {
                    let (rate, cores) = try await bench.replay(group: "profile-worker-\(round)")
                    print("worker replay \(round): \(Int(rate)) events/s, \(cores) cores busy")
                }
            }
            return
        }
        if profileWorkerProcess {
            try await withCluster(logger) { cluster in
                try await WorkerBench(cluster: cluster, calls: workerCalls, logger: logger)
                    .profileProcesses(binaries: workerBinary.isEmpty ? [WorkerBench.replayBinary] : workerBinary, rounds: rounds)
            }
            return
        }
        if let profileIntake {
            try await withCluster(logger) { cluster in
                try await IntakeBench(cluster: cluster, logger: logger, duration: seconds).profile(hello: profileIntake == "hello")
            }
            return
        }
        // Each section on a broker of its own, so one's data does not weigh on the next.
        let sections = Set((only ?? "kafka,worker,intake,peer,e2e,assembly,instructions").split(separator: ",").map(String.init))
            .subtracting((skip ?? "").split(separator: ",").map(String.init))
        var results: [BenchResult] = []
        if sections.contains("kafka") {
            results += try await withCluster(logger) { cluster in
                try await KafkaBench(cluster: cluster, messages: messages, messageSize: messageSize, logger: logger).run()
            }
        }
        if sections.contains("worker") {
            results += try await withCluster(logger) { try await WorkerBench(cluster: $0, calls: workerCalls, logger: logger).run() }
        }
        if sections.contains("intake") {
            results += try await withCluster(logger) { try await IntakeBench(cluster: $0, logger: logger, duration: seconds).run() }
        }
        if sections.contains("peer") {
            if let peer = ReferencePeer.installed(venv: peerVenv) {
                results += try await withCluster(logger) {
                    try await PeerBench(cluster: $0, logger: logger, peer: peer, duration: seconds, workerCalls: workerCalls).run()
                }
            } else {
                print("peer: skipped: no Python venv at \(peerVenv) or no bench/peer here (`make bench-deps` creates the venv; run from the repository's root)")
            }
        }
        if sections.contains("e2e") {
            results += try await withCluster(logger) { try await EndToEndBench(cluster: $0, logger: logger, seconds: seconds * 2).run() }
        }
        if sections.contains("assembly") { results += AssemblyBench(calls: calls).run() }
        if sections.contains("instructions") { results += try InstructionBench().run() }

        let table = BenchResult.markdownTable(results)
        print(table)
        if let markdown {
            let text = BenchResult.document(table: table, messages: messages, messageSize: messageSize, calls: calls)
            try text.write(toFile: markdown, atomically: true, encoding: .utf8)
            print("wrote \(markdown)")
        }
    }

    /// Runs `body` with a new embedded broker that is always shut down.
    private func withCluster<T>(_ logger: Logger, _ body: (EmbeddedKafkaCluster) async throws -> T) async throws -> T {
        let cluster = try EmbeddedKafkaCluster(logger: logger)
        do {
            let result = try await body(cluster)
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }
}
