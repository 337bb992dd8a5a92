import Foundation

/// An archive of records as JSON Lines: one file per UTC day, one line per `(call_id, revision)`.
///
/// Idempotent: each file's `(call_id, revision)` pairs are indexed when the file is first touched
/// (a torn last line from a crash is cut off), so a replay or a redelivery appends nothing twice.
/// A record's day comes from its own times, so every delivery of it lands in the same file.
public actor JSONLinesSink: RecordSink {
    public let configuration: JSONLinesSinkConfiguration
    private var files: [String: DayFile] = [:]

    /// One open day file and the `(call_id, revision)` pairs it holds.
    private struct DayFile {
        let handle: FileHandle
        var keys: Set<String>
    }

    public init(configuration: JSONLinesSinkConfiguration) {
        self.configuration = configuration
    }

    public func start() async throws {
        do {
            try FileManager.default.createDirectory(atPath: configuration.directory, withIntermediateDirectories: true)
        } catch {
            throw SinkError(.io, "cannot create \(configuration.directory): \(error)")
        }
    }

    public func write(_ records: [SinkRecord]) async throws {
        var lines: [String: [UInt8]] = [:]
        for record in records {
            let name = fileName(for: record)
            var file = try open(name)
            guard file.keys.insert(Self.key(record.callID, record.revision)).inserted else { continue }
            files[name] = file
            lines[name, default: []] += Self.line(record.json)
        }
        for (name, bytes) in lines.sorted(by: { $0.key < $1.key }) {
            guard let handle = files[name]?.handle else { continue }
            do {
                try handle.write(contentsOf: bytes)
                if configuration.fsync { try handle.synchronize() }
            } catch {
                // What was appended may be partial: index the file afresh on the next write.
                try? handle.close()
                files[name] = nil
                throw SinkError(.io, "cannot append to \(name): \(error)")
            }
        }
    }

    public func shutdown() async throws {
        for file in files.values { try? file.handle.close() }
        files.removeAll()
    }

    /// The file a record belongs in.
    public nonisolated func fileName(for record: SinkRecord) -> String {
        guard let ms = record.endedAtMs ?? record.startedAtMs else { return "\(configuration.filePrefix)-undated.jsonl" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        let date = String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
        return "\(configuration.filePrefix)-\(date).jsonl"
    }

    private func open(_ name: String) throws(SinkError) -> DayFile {
        if let file = files[name] { return file }
        let path = (configuration.directory as NSString).appendingPathComponent(name)
        do {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else { throw SinkError(.io, "cannot create \(path)") }
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            var keys = Set<String>()
            var complete = 0
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
                complete += line.count + 1
                if let record = try? SinkRecord(json: Array(line)) { keys.insert(Self.key(record.callID, record.revision)) }
            }
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            // A line without its newline was torn by a crash: cut it, its record comes again.
            if complete < data.count { try handle.truncate(atOffset: UInt64(complete)) }
            try handle.seekToEnd()
            let file = DayFile(handle: handle, keys: keys)
            files[name] = file
            return file
        } catch let error as SinkError {
            throw error
        } catch {
            throw SinkError(.io, "cannot open \(path): \(error)")
        }
    }

    private static func key(_ callID: String, _ revision: Int) -> String { "\(callID)\u{0}\(revision)" }

    /// The record on one line: the worker's JSON is compact; any raw line break (only possible as
    /// whitespace between tokens) becomes a space.
    private static func line(_ json: [UInt8]) -> [UInt8] {
        var line = json.map { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") ? UInt8(ascii: " ") : $0 }
        line.append(UInt8(ascii: "\n"))
        return line
    }
}
