import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts webhook bodies to an intake over HTTP, one at a time in order (as the platform would),
/// retrying a 503 a few times as the platform does.
struct SamplePoster {
    let url: URL

    init(baseURL: String) {
        self.url = URL(string: baseURL + "/webhooks/vox/call-events")!
    }

    /// Posts every body; returns how many the intake accepted (200).
    func post(_ bodies: [[UInt8]]) async throws -> Int {
        var accepted = 0
        for body in bodies {
            for attempt in 0..<5 {
                var request = URLRequest(url: url)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body)
                let (_, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if status == 200 { accepted += 1; break }
                if status != 503 || attempt == 4 {
                    FileHandle.standardError.write(Data("intake answered \(status) to a sample webhook\n".utf8))
                    break
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        return accepted
    }
}
