@testable import CallAssembly

extension CallState {
    var eventCountsForTesting: Int { received }
}
