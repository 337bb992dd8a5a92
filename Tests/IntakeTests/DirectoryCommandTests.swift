import Foundation
import Intake
import Kafka
import Testing

@Suite("callstream directory as a separate process, on the embedded broker")
struct DirectoryCommandTests {
    @Test("put, import (CSV) and delete write keyed JSON values and tombstones to the directory topic")
    func putImportDelete() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: callstreamExecutable.path), "build callstream first")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UInt32.random(in: 0...UInt32.max)).csv")
        try "number,customer_name,tier\n+821011112222,박지훈,silver\n+821033334444,\"Choi, Y\",\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withEmbeddedCluster { cluster in
            let common = ["--bootstrap-servers", cluster.bootstrapServers, "--topic", directoryTopic]
            let put = try await runCallstream(["directory", "put", "+821012345678", "customer_name=김민준", "note=a=b"] + common)
            #expect(put.status == 0, "\(put.output)")
            let imported = try await runCallstream(["directory", "import", file.path] + common)
            #expect(imported.status == 0, "\(imported.output)")
            #expect(imported.output.contains("imported 2 numbers"))
            let deleted = try await runCallstream(["directory", "delete", "+821033334444"] + common)
            #expect(deleted.status == 0, "\(deleted.output)")
            let bad = try await runCallstream(["directory", "put", "+821012345678", "no-equals-sign"] + common)
            #expect(bad.status != 0)

            let messages = try await readTopic(cluster, topic: directoryTopic, partitions: 3, count: 4)
            var entries: [String: [DirectoryEntry]] = [:]
            for message in messages {
                let number = try #require(message.keyString)
                entries[number, default: []].append(try DirectoryEntry(number: number, value: message.value))
            }
            #expect(entries["+821012345678"]?.map(\.variables) == [["customer_name": "김민준", "note": "a=b"]])
            #expect(entries["+821011112222"]?.map(\.variables) == [["customer_name": "박지훈", "tier": "silver"]])
            #expect(entries["+821033334444"]?.map(\.variables) == [["customer_name": "Choi, Y"], nil], "written, then deleted")
        }
    }
}
