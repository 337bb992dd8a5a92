import Testing

/// Every test that runs intake, worker and load-generator processes: one at a time (each is a
/// heavy load on this machine's two cores, and the timings they check would suffer together).
@Suite("Reliability with real processes", .serialized)
enum ReliabilityProcessTests {}
