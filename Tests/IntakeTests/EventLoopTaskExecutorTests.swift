@testable import Intake
import NIOCore
import NIOPosix
import Testing

@Suite("Event loop task executor")
struct EventLoopTaskExecutorTests {
    @Test("A task preferring an event loop's executor runs on that loop, also after it suspended")
    func runsOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let onLoop = await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            var seen = [loop.inEventLoop]
            try? await Task.sleep(for: .milliseconds(2))
            seen.append(loop.inEventLoop)
            await Task.yield()
            seen.append(loop.inEventLoop)
            // A child task inherits the preference.
            seen.append(await withTaskGroup(of: Bool.self) { children in
                children.addTask { loop.inEventLoop }
                return await children.next() ?? false
            })
            return seen
        }
        #expect(onLoop == [true, true, true, true])
        #expect(!loop.inEventLoop)
        try await group.shutdownGracefully()
    }
}
