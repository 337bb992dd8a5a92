import ArgumentParser
import CallAssembly
import Foundation
import Intake
import Kafka
import Logging
import ServiceLifecycle
import Synchronization
import Worker

/// `callstream dev`: an embedded broker, the intake and a worker in one process, for trying the
/// pipeline on one machine. Prints the bootstrap servers and the intake's URL; every record the
/// worker emits is printed readably (and appended to `--records` as JSON Lines).
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run an embedded broker, the intake and a worker in one process."
    )

    @Option(help: "The intake's HTTP port (0: any free port).")
    var port: Int = 8080

    @Option(help: "Append every emitted record to this file, one JSON object per line.")
    var records: String?

    @Option(help: "Post the sample calls of this folder (one JSONL file per call) to the intake once it runs.")
    var postSamples: String?

    @Flag(help: "With --post-samples: exit once every posted call has its record.")
    var exitWhenDone = false

    @Option(help: "Partitions of the raw-events and records topics.")
    var partitions: Int32 = 12

    func run() async throws {
        var logger = Logger(label: "callstream.dev")
        logger.logLevel = .error
        let cluster = try EmbeddedKafkaCluster(logger: logger)
        do {
            try await run(cluster, logger: logger)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    private func run(_ cluster: EmbeddedKafkaCluster, logger: Logger) async throws {
        var workerConfiguration = WorkerConfiguration(bootstrapServers: cluster.bootstrapServers)
        // One member on a local broker: join fast, tick soon after the posting stops.
        workerConfiguration.sessionTimeout = .seconds(6)
        workerConfiguration.heartbeatInterval = .milliseconds(500)
        workerConfiguration.tickAfter = .seconds(1)
        workerConfiguration.tickCheckInterval = .milliseconds(200)
        try cluster.createTopic(workerConfiguration.eventsTopic, partitions: partitions)
        try cluster.createTopic(workerConfiguration.recordsTopic, partitions: partitions)
        try cluster.createTopic(workerConfiguration.deadLetterTopic, partitions: 3)
        var intakeConfiguration = IntakeConfiguration()
        try cluster.createTopic(intakeConfiguration.directoryTopic, partitions: 3)
        intakeConfiguration.bootstrapServers = cluster.bootstrapServers
        intakeConfiguration.host = "127.0.0.1"
        intakeConfiguration.port = port
        print("bootstrap=\(cluster.bootstrapServers)")

        let output = try records.map { path -> FileHandle in
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            return handle
        }
        let emitted = Mutex<Set<String>>([])
        let worker = Worker(configuration: workerConfiguration, logger: logger) { record in
            emitted.withLock { _ = $0.insert(record.callID) }
            print(DemoRecordPrinter.describe(record.bytes))
            output?.write(Data(record.bytes + [UInt8(ascii: "\n")]))
        }
        let boundPort = Mutex<Int?>(nil)
        let intake = try buildIntake(configuration: intakeConfiguration, logger: logger) { port in
            boundPort.withLock { $0 = port }
            print("url=http://127.0.0.1:\(port)")
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: intake), .init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        let poster = Task {
            guard let folder = postSamples else { return }
            let bodies = try SampleCalls.load(from: folder)
            let calls = SampleCalls.callIDs(of: bodies)
            while boundPort.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(50)) }
            let port = boundPort.withLock { $0 }!
            let accepted = try await SamplePoster(baseURL: "http://127.0.0.1:\(port)").post(bodies)
            print("posted \(bodies.count) webhooks of \(calls.count) calls over HTTP; \(accepted) accepted")
            guard exitWhenDone else { return }
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline, !calls.isSubset(of: emitted.withLock({ $0 })) {
                try await Task.sleep(for: .milliseconds(100))
            }
            let done = emitted.withLock { $0 }
            print("summary: \(bodies.count) webhooks of \(calls.count) calls → \(done.intersection(calls).count) records")
            await group.triggerGracefulShutdown()
            if !calls.isSubset(of: done) { throw ValidationError("not every call was emitted within 120 s") }
        }
        try await group.run()
        try output?.close()
        try await poster.value
    }
}
