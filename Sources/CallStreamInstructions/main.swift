import CallAssembly

// `callstream-instructions`: assembles 10,000 `mid_call` events (500 open calls × 20) on one
// thread and nothing else, for `valgrind --tool=callgrind --toggle-collect=*assembleMeasured*`:
// an instruction count does not move with machine noise. `make bench` reports it.

/// The measured part: every event into a new assembler.
@inline(never)
func assembleMeasured(_ workload: AssemblerWorkload) -> CallAssembler {
    workload.run()
}

let workload = AssemblerWorkload(calls: 500, eventsPerCall: 20, contentBytes: 60)
let assembler = assembleMeasured(workload)
print("assembled \(workload.events.count) events, \(assembler.openCallCount) open calls")
