import Foundation

/// CPU time this process has used so far, all threads (user + system), in seconds.
func processCPUSeconds() -> Double {
    cpuSeconds(RUSAGE_SELF)
}

/// CPU time this process's waited-for children have used so far (user + system), in seconds.
func childrenCPUSeconds() -> Double {
    cpuSeconds(RUSAGE_CHILDREN)
}

/// CPU time a running process has used so far (user + system, `/proc/PID/stat`, in clock ticks),
/// in seconds; 0 once it is gone.
func cpuSeconds(ofProcess pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    // After the command's closing parenthesis: state is field 3, utime and stime fields 14 and 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU time (seconds) and minor page faults of this process's waited-for children so far.
func childrenUsage() -> (cpuSeconds: Double, minorFaults: Int) {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    return (cpuSeconds(RUSAGE_CHILDREN), usage.ru_minflt)
}

private func cpuSeconds(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
