import CallEvents
import Foundation
import HummingbirdTesting
import Intake
import Kafka
import Testing

@Suite("Intake inbound webhook, live HTTP on the embedded broker", .serialized)
struct InboundWebhookTests {
    let known = "+821012345678"
    let unknown = "+821099999999"

    func current(_ from: String) -> String {
        #"{"event":"call_inbound","call_inbound":{"from_number":"\#(from)","to_number":"+827012345678"}}"#
    }

    func legacy(_ from: String) -> String {
        #"{"call_from":"\#(from)","call_to":"+827012345678"}"#
    }

    func variables(_ response: TestResponse) throws -> [String: String] {
        let object = try response.jsonObject()
        var result: [String: String] = [:]
        for member in object.members { result[member.key] = member.value.stringValue }
        return result
    }

    @Test("Known number → its variables over the defaults, unknown → defaults, both forms; topic updates and deletions show in later answers; audited on the raw topic")
    func directoryFromTopic() async throws {
        try await withEmbeddedCluster { cluster in
            let writer = DirectoryWriter(bootstrapServers: cluster.bootstrapServers, topic: directoryTopic, logger: testLogger("writer"))
            try await writer.write([
                DirectoryEntry(number: known, variables: ["customer_name": "김민준", "tier": "gold"]),
                DirectoryEntry(number: "+821000000000", variables: ["customer_name": "someone"]),
            ])
            var configuration = testConfiguration(cluster)
            configuration.inbound.defaults = ["customer_name": "고객", "greeting": "안녕하세요"]
            try await withIntake(configuration) { client in
                try await eventually("ready: broker reachable and directory loaded") {
                    try await client.execute(uri: IntakeRoute.readiness, method: .get).status == .ok
                }
                for body in [current(known), legacy(known)] {
                    let response = try await client.post(IntakeRoute.inbound, body)
                    #expect(response.status == .ok)
                    #expect(try variables(response) == ["customer_name": "김민준", "tier": "gold", "greeting": "안녕하세요"])
                }
                for body in [current(unknown), legacy(unknown), #"{"event":"call_inbound","call_inbound":{}}"#] {
                    let response = try await client.post(IntakeRoute.inbound, body)
                    #expect(response.status == .ok)
                    #expect(try variables(response) == ["customer_name": "고객", "greeting": "안녕하세요"])
                }

                try await writer.write([DirectoryEntry(number: known, variables: ["customer_name": "이서연"])])
                try await eventually("the update shows") {
                    try variables(try await client.post(IntakeRoute.inbound, current(known)))["customer_name"] == "이서연"
                }
                try await writer.write([DirectoryEntry(number: known, variables: nil)])
                try await eventually("the deletion shows") {
                    try variables(try await client.post(IntakeRoute.inbound, current(known))) == ["customer_name": "고객", "greeting": "안녕하세요"]
                }
                let invalid = try await client.post(IntakeRoute.inbound, #"{"event":"call_inbound","call_inbound":"x"}"#)
                #expect(invalid.status == .badRequest)
                #expect(try invalid.errorCode() == "wrong_field_type")
                let notJSON = try await client.post(IntakeRoute.inbound, "{")
                #expect(try notJSON.errorCode() == "not_json")
            }
            // The audit copies reach the raw topic in the background, marked as inbound.
            let audited = try await readTopic(cluster, topic: eventsTopic, partitions: 4, count: 5)
            #expect(audited.count >= 5)
            #expect(audited.allSatisfy { $0.headers.string(for: "event") == "call_inbound" && $0.key == nil })
        }
    }

    @Test("Response shape call_inbound.dynamic_variables; the directory file seeds numbers")
    func shapeAndFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("directory-\(UInt32.random(in: 0...UInt32.max)).csv")
        try "number,customer_name,note\n\(known),\"Kim, Min-jun\",\"says \"\"hi\"\"\"\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withEmbeddedCluster { cluster in
            var configuration = testConfiguration(cluster)
            configuration.inbound.responseShape = .callInbound
            configuration.inbound.directoryFile = file.path
            configuration.inbound.directoryFromTopic = false
            try await withIntake(configuration) { client in
                try await eventually("directory loaded") {
                    try await client.execute(uri: IntakeRoute.readiness, method: .get).status == .ok
                }
                let response = try await client.post(IntakeRoute.inbound, current(known))
                let object = try response.jsonObject()
                let inner = try #require(object["call_inbound"]?.objectValue?["dynamic_variables"]?.objectValue)
                #expect(inner["customer_name"]?.stringValue == "Kim, Min-jun")
                #expect(inner["note"]?.stringValue == #"says "hi""#)
            }
        }
    }

    @Test("Directory source down (broker down from the start): defaults at once, readyz 503, call-events 503")
    func directorySourceDown() async throws {
        try await withEmbeddedCluster { cluster in
            try cluster.setBrokerDown(1)
            var configuration = testConfiguration(cluster)
            configuration.publishTimeout = .seconds(1)
            configuration.inbound.defaults = ["customer_name": "고객"]
            try await withIntake(configuration) { client in
                for body in [current(known), legacy(unknown)] {
                    let response = try await client.post(IntakeRoute.inbound, body)
                    #expect(response.status == .ok)
                    #expect(try variables(response) == ["customer_name": "고객"])
                }
                let readiness = try await client.execute(uri: IntakeRoute.readiness, method: .get)
                #expect(readiness.status == .serviceUnavailable)
                #expect(try readiness.errorCode() == "not_ready")
                let event = try await client.post(IntakeRoute.callEvents, #"{"event":"call_started","call":{"call_id":"down"}}"#)
                #expect(event.status == .serviceUnavailable)
            }
        }
    }
}

@Suite("Intake directory parsing (no broker)")
struct DirectoryParsingTests {
    @Test("CSV: header names the variables, quotes and CRLF, empty cells left out; JSON objects; put arguments; topic values")
    func parsing() throws {
        let csv = try DirectoryFile.parseCSV("number,name,tier\r\n+8210,\"Lee, J\",\r\n+8220,Kim,gold\n")
        #expect(csv == [
            DirectoryEntry(number: "+8210", variables: ["name": "Lee, J"]),
            DirectoryEntry(number: "+8220", variables: ["name": "Kim", "tier": "gold"]),
        ])
        let json = try DirectoryFile.parseJSON(Array(#"{"+8210":{"name":"Lee","vip":true,"visits":3}}"#.utf8))
        #expect(json == [DirectoryEntry(number: "+8210", variables: ["name": "Lee", "vip": "true", "visits": "3"])])
        #expect(throws: IntakeError.self) { try DirectoryFile.parseJSON(Array(#"{"+8210":"x"}"#.utf8)) }
        #expect(try DirectoryWriter.entry(number: "+8210", assignments: ["name=Lee", "url=a=b"]).variables == ["name": "Lee", "url": "a=b"])
        #expect(throws: IntakeError.self) { try DirectoryWriter.entry(number: "+8210", assignments: ["name"]) }
        let entry = DirectoryEntry(number: "+8210", variables: ["b": "2", "a": "한"])
        #expect(String(decoding: entry.value, as: UTF8.self) == #"{"a":"한","b":"2"}"#)
        #expect(try DirectoryEntry(number: "+8210", value: entry.value) == entry)
        #expect(try DirectoryEntry(number: "+8210", value: []).variables == nil)
        #expect(throws: IntakeError.self) { try DirectoryEntry(number: "+8210", value: Array("[1]".utf8)) }
    }
}
