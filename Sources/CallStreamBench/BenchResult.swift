import Foundation

/// One measured figure, with its reference and target when it has them.
struct BenchResult {
    var name: String
    var value: Double
    var unit: String
    /// The reference figure measured in the same run (e.g. kcat), for the ratio.
    var reference: Double?
    var referenceName: String?
    /// The target, as text, and whether it was met.
    var target: String?
    var met: Bool?

    var ratio: Double? { reference.map { value / $0 } }

    static func markdownTable(_ results: [BenchResult]) -> String {
        var lines = ["| figure | value | reference | ratio | target | met |", "|---|---|---|---|---|---|"]
        for result in results {
            lines.append("| \(result.name) | \(format(result.value)) \(result.unit) | "
                + "\(result.reference.map { "\(format($0)) \(result.unit) (\(result.referenceName ?? ""))" } ?? "–") | "
                + "\(result.ratio.map { String(format: "%.2f×", $0) } ?? "–") | \(result.target ?? "–") | "
                + "\(result.met.map { $0 ? "yes" : "**no**" } ?? "–") |")
        }
        return lines.joined(separator: "\n")
    }

    static func document(table: String, messages: Int, messageSize: Int, calls: Int) -> String {
        let commit = (try? shell("git", "rev-parse", "--short", "HEAD")) ?? "unknown"
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
        let date = ISO8601DateFormatter().string(from: Date())
        return """
        # Benchmarks

        Written by `make bench` (release build); every figure and its reference come from one run
        on one embedded broker (librdkafka 2.0.2's mock cluster, in the benchmark's process).

        - machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory >> 30) GiB
        - date: \(date)
        - commit: \(commit)
        - Kafka: \(messages) messages of \(messageSize) bytes, acks=all, idempotent producer; kcat \(kcatVersion()) on librdkafka 2.0.2
        - assembler: \(calls) open calls × 20 `mid_call` events, one core
        - allocator: the worker's figures run `callstream replay`, a process of its own linked with jemalloc as `callstream-worker` is; this process (the embedded broker, the intake, the loops) uses \(heapAllocatorName())

        \(table)

        How each is measured: the producer figures are messages acknowledged per second (kcat: `kcat -P -l`
        of a file with one message per line, process start included; the wrapper: `KafkaProducer.send`
        with up to 100,000 messages in flight, like kcat's queue). The consumer figures read the same topic from the beginning
        to its end (kcat: `kcat -C -o beginning -c N -X fetch.wait.max.ms=50`, the wrapper's default, into `wc -l`; the wrapper: `KafkaConsumer.events`
        with the payload copied into Swift arrays). Bytes per open call are the growth of the allocator's
        bytes in use (glibc `mallinfo2`) divided by open calls (the assembler's figure without message
        text, the worker's with it). The worker's preloaded events carry the six headers the
        intake writes on every event, as in production. The worker is `callstream replay` (a private group, a new
        records topic each round) in a process of its own, as kcat is, and its rate runs from its first record to its
        last (their timestamps). The worker's reference is kcat writing each message's
        offset (`-f '%o\\n'`), so kcat reads and does next to nothing else; a second row puts the same
        worker runs next to kcat writing each message (its default output), measured in the same rounds.

        The intake figures come from wrk (one thread) against a live `callstream-intake` built in
        the same process, with its own embedded broker: `GET /healthz` is the same server's
        hello-world route; `POST /webhooks/vox/call-events` answers only after the broker's
        acknowledgement, with distinct call ids so events spread over 12 partitions (10,000
        requests built once by the Lua script and sent in turn, so that wrk's own work per request
        is about that of the hello-world route's fixed request); the inbound
        webhook answers from the in-memory directory, measured at the most the server does
        (4 connections) and with one connection (about a third to half of that), where the p99
        target applies. wrk and the server share the 2 cores.

        The Python reference peer (bench/peer: FastAPI + confluent-kafka under uvicorn with 2
        workers; a confluent-kafka consumer loop with `json` and a dict per call) runs on an
        embedded broker of its own, in the same rounds as ours: wrk alternates between the two
        intakes (the intake figures' script and connections); kcat, the peer's worker and ours
        take turns over the worker figures' preloaded topic. The peer's worker is timed like
        ours, from its first acknowledged record to its last.

        """
    }

    private static func kcatVersion() -> String {
        // `kcat -V` prints a banner, then "Version 1.7.1 (…, librdkafka 2.0.2 …)".
        ((try? shell("kcat", "-V")) ?? "").split(separator: "\n").first { $0.hasPrefix("Version") }
            .map { $0.split(separator: " ").prefix(2).joined(separator: " ") } ?? "unknown"
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}

/// Runs a command and returns its standard output.
@discardableResult
func shell(_ arguments: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.standardError
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
