import Foundation
import Synchronization

/// The load generator's log of acknowledged webhooks: one JSON line each, appended as answers come.
public final class AcknowledgementLog: Sendable {
    private let handle: Mutex<FileHandle?>

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws(ReliabilityError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ReliabilityError(.invalidArgument, "cannot write the log file \(path)")
        }
        self.handle = Mutex(handle)
    }

    public func append(_ webhook: AcknowledgedWebhook) {
        var line = webhook.jsonLine
        line.append(UInt8(ascii: "\n"))
        handle.withLock { $0?.write(Data(line)) }
    }

    public func close() {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }

    /// Every line of a log file.
    public static func read(path: String) throws(ReliabilityError) -> [AcknowledgedWebhook] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReliabilityError(.invalidLog, "cannot read \(path)")
        }
        var result: [AcknowledgedWebhook] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            result.append(try AcknowledgedWebhook(jsonLine: Array(line)))
        }
        return result
    }
}
