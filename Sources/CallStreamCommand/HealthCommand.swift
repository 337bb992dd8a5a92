import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `callstream health`: exits 0 when a health endpoint answers 200; the image's HEALTHCHECK (the
/// runtime image has no curl).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Exit 0 when the URL answers 200 within the timeout, else 1."
    )

    @Option(help: "The endpoint (default: $CALLSTREAM_HEALTH_URL, else the intake's /healthz on port 8080).")
    var url = ProcessInfo.processInfo.environment["CALLSTREAM_HEALTH_URL"] ?? "http://127.0.0.1:8080/healthz"

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 3

    func run() async throws {
        guard let endpoint = URL(string: url) else { throw ValidationError("--url \(url) is not a URL") }
        var request = URLRequest(url: endpoint)
        request.timeoutInterval = timeout
        let status = try? await (URLSession.shared.data(for: request).1 as? HTTPURLResponse)?.statusCode
        guard status == 200 else {
            FileHandle.standardError.write(Data("\(url): \(status.map { "answered \($0)" } ?? "no answer")\n".utf8))
            throw ExitCode.failure
        }
    }
}
