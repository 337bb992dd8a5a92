import Hummingbird
import NIOCore

extension Request {
    /// The body's bytes, up to `limit`: a larger declared or actual length is a 413.
    func bodyBytes(limit: Int) async throws(IntakeError) -> [UInt8] {
        if let declared = headers[.contentLength].flatMap(Int.init), declared > limit {
            throw .bodyTooLarge(limit: limit)
        }
        do {
            let buffer = try await body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .bodyTooLarge(limit: limit)
        } catch {
            // The client went away mid-body; nobody will read this answer.
            throw IntakeError(.emptyBody, "the body could not be read completely")
        }
    }
}
