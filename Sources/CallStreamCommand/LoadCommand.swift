import ArgumentParser
import Foundation
import Logging
import Reliability

/// `callstream load`: realistic call traffic against an intake; `--verify` checks the run afterwards.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Send realistic vox.ai call traffic to an intake and print the achieved rate, latency and errors.",
        discussion: """
            Each of --concurrency connections posts one call's events at a time, in order (some swapped, some twice).
            --rate R is an open loop (latency from each webhook's scheduled time); --rate max a closed loop.
            --log FILE writes every acknowledged (2xx) webhook as a JSON line (call_id, event, sha256);
            --verify then checks the topics against it (see `callstream verify`). Exits 1 when the check fails.
            """
    )

    @Option(help: "The intake, http://HOST:PORT.")
    var url: String

    @Option(help: "Calls to send.")
    var calls: Int = 1000

    @Option(help: "Events per call (padded with more mid_call events).")
    var eventsPerCall: Int = 12

    @Option(help: "Calls (connections) in flight at once.")
    var concurrency: Int = 32

    @Option(help: "Webhooks per second, or max (closed loop).")
    var rate: String = "max"

    @Option(help: "Run this many seconds instead of --calls calls (soak).")
    var seconds: Int?

    @Option(help: "Share of events delivered twice.")
    var duplicates: Double = 0.05

    @Option(help: "Share of events swapped with their successor.")
    var outOfOrder: Double = 0.1

    @Option(help: "Share of v1 calls (the rest v2).")
    var v1Share: Double = 0.5

    @Option(help: "Share of Korean calls (the rest English).")
    var koreanShare: Double = 0.5

    @Option(help: "Extra transcript bytes in each call_ended.")
    var transcriptBytes: Int = 0

    @Option(help: "Attempts per webhook (503 and connection failures are retried).")
    var maxAttempts: Int = 30

    @Option(help: "The sample calls to copy.")
    var samples: String = "config/samples"

    @Option(help: "Seed of the random choices.")
    var seed: UInt64 = 1

    @Option(help: "Prefix of the call ids (default: load-<random>).")
    var callIDPrefix: String?

    @Option(help: "Write every acknowledged webhook to this file (JSON lines).")
    var log: String?

    @OptionGroup var verification: VerificationOptions

    @Flag(help: "Check the topics afterwards (needs --bootstrap-servers).")
    var verify = false

    func run() async throws {
        var configuration = LoadConfiguration()
        try configuration.setURL(url)
        configuration.calls = calls
        configuration.eventsPerCall = eventsPerCall
        configuration.concurrency = concurrency
        if rate != "max" {
            guard let value = Double(rate), value > 0 else { throw ValidationError("--rate must be a positive number or max") }
            configuration.rate = value
        }
        configuration.duration = seconds.map { .seconds($0) }
        configuration.duplicates = duplicates
        configuration.outOfOrder = outOfOrder
        configuration.v1Share = v1Share
        configuration.koreanShare = koreanShare
        configuration.transcriptBytes = transcriptBytes
        configuration.maximumAttempts = maxAttempts
        configuration.samplesFolder = samples
        configuration.seed = seed
        configuration.callIDPrefix = callIDPrefix ?? "load-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"

        let acknowledgements = try log.map { try AcknowledgementLog(path: $0) }
        let generator = try LoadGenerator(configuration: configuration, log: acknowledgements)
        // SIGINT/SIGTERM: start no more calls, finish the ones in flight, report.
        let signals = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { generator.stop() }
            source.resume()
            return source
        }
        let report = await generator.run()
        signals.forEach { $0.cancel() }
        acknowledgements?.close()
        print(report)
        fflush(nil)
        guard verify else { return }
        guard let path = log else { throw ValidationError("--verify needs --log FILE") }
        try await verification.check(logPath: path)
    }
}
