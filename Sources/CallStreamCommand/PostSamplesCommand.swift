import ArgumentParser
import Foundation

/// `callstream post-samples`: the sample calls posted to a running intake, as `callstream dev` posts
/// them to its own; for trying a deployment (`docker compose up`) end to end.
struct PostSamplesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post-samples",
        abstract: "Post the sample calls' webhooks to a running intake, in order, and report how many it accepted."
    )

    @Option(help: "The intake's base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "A folder of sample calls, one JSONL file per call.")
    var samples = "config/samples"

    func run() async throws {
        let bodies = try SampleCalls.load(from: samples)
        let calls = SampleCalls.callIDs(of: bodies)
        let accepted = try await SamplePoster(baseURL: url).post(bodies)
        print("posted \(bodies.count) webhooks of \(calls.count) calls to \(url); \(accepted) accepted")
        if accepted != bodies.count { throw ExitCode.failure }
    }
}
