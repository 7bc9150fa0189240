import Synchronization

/// The jobs a worker holds: from the moment it claims them until their outcome is written. Heartbeats renew the
/// leases of all of them (a finished job whose outcome is not yet written is still the worker's), the worker never
/// rescues them itself, and operators' cancellations reach the tasks of those that run.
final class InFlightJobs: Sendable {
    private struct Entry {
        var task: Task<Void, any Error>?
        var cancelRequested = false
    }
    private let entries = Mutex<[Int64: Entry]>([:])

    /// Holds jobs just claimed, before their tasks start.
    func hold(_ ids: some Sequence<Int64>) {
        entries.withLock { entries in
            for id in ids { entries[id] = Entry() }
        }
    }

    /// Attaches the task that runs a held job.
    func started(_ id: Int64, task: Task<Void, any Error>) {
        entries.withLock { $0[id, default: Entry()].task = task }
    }

    /// Notes that a job's task ended; the job stays held until its outcome is written. Returns whether an operator
    /// had asked to cancel it.
    func finished(_ id: Int64) -> Bool {
        entries.withLock { entries in
            entries[id]?.task = nil
            return entries[id]?.cancelRequested ?? false
        }
    }

    /// Lets go of jobs whose outcome is written.
    func release(_ ids: some Sequence<Int64>) {
        entries.withLock { entries in
            for id in ids { entries.removeValue(forKey: id) }
        }
    }

    var ids: [Int64] { entries.withLock { Array($0.keys) } }

    /// Cancels the tasks of the given jobs and remembers why.
    func cancel(_ ids: Set<Int64>) {
        let tasks = entries.withLock { entries -> [Task<Void, any Error>] in
            ids.compactMap { id in
                guard let entry = entries[id], !entry.cancelRequested, let task = entry.task else { return nil }
                entries[id]?.cancelRequested = true
                return task
            }
        }
        for task in tasks { task.cancel() }
    }
}
