import Synchronization
import Testing

@testable import Marketplace

/// Concurrent catch-ups share runs, and none returns before a run that started after its call has ended.
@Suite("Coalesced runs")
struct CoalescedRunsTests {
    final class Counter: Sendable {
        let started = Mutex(0)
        let finished = Mutex(0)
    }

    @Test("a hundred concurrent callers cost a few runs, each caller served by a run that began after it called")
    func coalesces() async throws {
        let counter = Counter()
        let runs = CoalescedRuns {
            counter.started.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(20))
            counter.finished.withLock { $0 += 1 }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    let startedBefore = counter.started.withLock { $0 }
                    try await runs.run()
                    // A run that started after the call has finished.
                    #expect(counter.finished.withLock { $0 } > startedBefore)
                }
            }
            try await group.waitForAll()
        }
        let total = counter.started.withLock { $0 }
        #expect(total >= 1 && total <= 10, "\(total) runs for 100 callers")
    }

    @Test("a failed run fails the callers it served; the next call runs again")
    func failure() async throws {
        struct Broken: Error {}
        let counter = Counter()
        let runs = CoalescedRuns {
            let attempt = counter.started.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Broken() }
        }
        await #expect(throws: Broken.self) { try await runs.run() }
        try await runs.run()
        #expect(counter.started.withLock { $0 } == 2)
    }
}
