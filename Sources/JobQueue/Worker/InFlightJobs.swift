import Synchronization

/// The jobs a worker runs right now, with the tasks that run them, so that heartbeats can renew their leases and
/// operators' cancellations can reach them.
final class InFlightJobs: Sendable {
    private struct Entry {
        let task: Task<Void, any Error>
        var cancelRequested = false
    }
    private let entries = Mutex<[Int64: Entry]>([:])

    func insert(_ id: Int64, task: Task<Void, any Error>) {
        entries.withLock { $0[id] = Entry(task: task) }
    }

    /// Removes a job; returns whether an operator had asked to cancel it.
    func remove(_ id: Int64) -> Bool {
        entries.withLock { $0.removeValue(forKey: id)?.cancelRequested ?? false }
    }

    var ids: [Int64] { entries.withLock { Array($0.keys) } }

    /// Cancels the tasks of the given jobs and remembers why.
    func cancel(_ ids: Set<Int64>) {
        let tasks = entries.withLock { entries -> [Task<Void, any Error>] in
            ids.compactMap { id in
                guard entries[id] != nil, entries[id]?.cancelRequested == false else { return nil }
                entries[id]?.cancelRequested = true
                return entries[id]?.task
            }
        }
        for task in tasks { task.cancel() }
    }
}
