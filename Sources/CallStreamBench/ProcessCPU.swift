import Foundation

/// CPU time this process has used so far, all threads (user + system), in seconds.
func processCPUSeconds() -> Double {
    cpuSeconds(RUSAGE_SELF)
}

/// CPU time this process's waited-for children have used so far (user + system), in seconds.
func childrenCPUSeconds() -> Double {
    cpuSeconds(RUSAGE_CHILDREN)
}

private func cpuSeconds(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
