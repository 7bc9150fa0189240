/// Runs one piece of work at a time for any number of callers, each returning once a run that *started after* its
/// call has finished: callers that arrive while a run is under way share the next one. A caller so sees everything
/// that was there when it called, and a hundred concurrent calls cost two runs, not a hundred racing ones.
actor CoalescedRuns {
    private let work: @Sendable () async throws -> Void
    private var requested = 0
    private var completed = 0
    private var running = false
    private var waiting: [(generation: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    init(_ work: @escaping @Sendable () async throws -> Void) {
        self.work = work
    }

    /// Returns when a run that began after this call has ended; throws what that run threw.
    func run() async throws {
        requested += 1
        let generation = requested
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((generation, continuation))
            if !running {
                running = true
                Task { await runWhileRequested() }
            }
        }
    }

    /// Asks for a run without waiting for it; a failure is left to the next run (the cursor stays where it was).
    func request() {
        requested += 1
        if !running {
            running = true
            Task { await runWhileRequested() }
        }
    }

    private func runWhileRequested() async {
        while completed < requested {
            let target = requested
            let result: Result<Void, any Error>
            do {
                try await work()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            completed = target
            let served = waiting.filter { $0.generation <= target }
            waiting.removeAll { $0.generation <= target }
            for waiter in served { waiter.continuation.resume(with: result) }
        }
        running = false
    }
}
