import Kafka
import Testing

@Suite("KafkaHeaders: packed headers")
struct KafkaHeadersTests {
    static let sample: [KafkaHeader] = [
        KafkaHeader(key: "event", string: "mid_call"),
        KafkaHeader(key: "no-value", value: nil),
        KafkaHeader(key: "empty", value: []),
        KafkaHeader(key: "", string: "empty key"),
        KafkaHeader(key: "이름", string: "김민준"),
        KafkaHeader(key: "event", string: "second"),
        KafkaHeader(key: "binary", value: [0, 255, 0xff, 1]),
    ]

    @Test func keepsEveryHeaderInOrder() {
        let headers = KafkaHeaders(Self.sample)
        #expect(Array(headers) == Self.sample)
        #expect(headers.count == Self.sample.count)
        #expect(!headers.isEmpty)
        #expect(KafkaHeaders().isEmpty && Array(KafkaHeaders()) == [])
    }

    @Test func looksUpTheFirstHeaderOfAName() {
        let headers = KafkaHeaders(Self.sample)
        #expect(headers.string(for: "event") == "mid_call")
        #expect(headers.string(for: "이름") == "김민준")
        #expect(headers.string(for: "") == "empty key")
        #expect(headers.bytes(for: "binary").map(Array.init) == [0, 255, 0xff, 1])
        #expect(headers.bytes(for: "empty").map(Array.init) == [])
        #expect(headers.bytes(for: "no-value") == nil && headers.firstIndex(named: "no-value") != nil)
        #expect(headers.string(for: "missing") == nil && headers.firstIndex(named: "missing") == nil)
        #expect(headers.string(for: "even") == nil, "a prefix of a name is not the name")
    }

    @Test func appendingByPartsEqualsAppendingHeaders() {
        var byParts = KafkaHeaders()
        byParts.reserveCapacity(headers: 2, bytes: 20)
        byParts.append(key: "event", string: "mid_call")
        byParts.append(KafkaHeader(key: "no-value", value: nil))
        let literal: KafkaHeaders = [KafkaHeader(key: "event", string: "mid_call"), KafkaHeader(key: "no-value", value: nil)]
        #expect(byParts == literal)
        #expect(byParts.hashValue == literal.hashValue)
        #expect(byParts != KafkaHeaders([KafkaHeader(key: "event", string: "mid_call")]))
        #expect(literal.description == "[event=mid_call, no-value=nil]")
    }

    @Test func rawIterationSeesKeysAndValuesWithoutCopies() {
        var seen: [(String, [UInt8]?)] = []
        KafkaHeaders(Self.sample).forEachRaw { key, value in
            seen.append((String(decoding: key, as: UTF8.self), value.map(Array.init)))
        }
        #expect(seen.map(\.0) == Self.sample.map(\.key))
        #expect(seen.map(\.1) == Self.sample.map(\.value))
    }
}
