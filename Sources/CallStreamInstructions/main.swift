import CallAssembly

// `callstream-instructions`: the call assembler on one thread and nothing else, for
// `valgrind --tool=callgrind --toggle-collect=*Measured*`: an instruction count does not move
// with machine noise. `make bench` reports both figures per event.
//
// - `open`: 10,000 `mid_call` events of 500 calls that stay open;
// - `completed`: 500 complete calls (10,500 events), each emitted as a record and acknowledged.

/// Every event into a new assembler.
@inline(never)
func openCallsMeasured(_ workload: AssemblerWorkload) -> CallAssembler {
    workload.run()
}

/// Every event into a new assembler, every record encoded and acknowledged; returns the records.
@inline(never)
func completedCallsMeasured(_ events: [(callID: String?, body: [UInt8])]) -> Int {
    var assembler = CallAssembler(topic: "bench", partition: 0)
    var records = 0
    for (offset, event) in events.enumerated() {
        for action in assembler.receive(event.body, offset: Int64(offset)) {
            if case .emit = action { records += 1 }
            assembler.acknowledge(action.receipt)
        }
    }
    return records
}

switch CommandLine.arguments.dropFirst().first ?? "open" {
case "completed":
    let events = AssemblerWorkload.completedCalls(500)
    print("assembled \(events.count) events, \(completedCallsMeasured(events)) records")
default:
    let workload = AssemblerWorkload(calls: 500, eventsPerCall: 20, contentBytes: 60)
    print("assembled \(workload.events.count) events, \(openCallsMeasured(workload).openCallCount) open calls")
}
