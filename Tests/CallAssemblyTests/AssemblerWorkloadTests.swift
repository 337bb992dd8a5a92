import CallAssembly
import Testing

@Suite("Benchmark workload")
struct AssemblerWorkloadTests {
    @Test func keepsEveryCallOpenWithAllItsEvents() throws {
        let workload = AssemblerWorkload(calls: 50, eventsPerCall: 20, contentBytes: 30)
        #expect(workload.events.count == 1_000)
        let assembler = workload.run()
        #expect(assembler.openCallCount == 50)
        #expect(assembler.lowWatermark == 0)
        #expect(assembler.nextOffset == 1_000)
        let record = try #require(assembler.call("bench-7-6b0f1f08-1c2b-4f0e-9c3a")?.record(revision: 1, topic: "t", partition: 0))
        #expect(record.messages.count == 20)
        #expect(record.messages.allSatisfy { ($0.content?.utf8.count ?? 0) <= 30 })
    }
}
