import Metrics
import Synchronization

/// The queue's metrics, through swift-metrics (exported by `/metrics` when Prometheus is bootstrapped):
/// `lightbox_jobs_finished_total{queue,kind,outcome}`, `lightbox_job_run_seconds{queue,kind}`,
/// `lightbox_job_wait_seconds{queue}` and the depth gauge `lightbox_jobs{queue,state}`.
final class JobMetrics: Sendable {
    private struct Key: Hashable {
        let queue: String
        let kind: String
        let outcome: String
    }
    private let counters = Mutex<[Key: Counter]>([:])
    private let runTimers = Mutex<[Key: Timer]>([:])
    private let waitTimers = Mutex<[String: Timer]>([:])

    func finished(queue: String, kind: String, outcome: String, runNanoseconds: Int64) {
        let key = Key(queue: queue, kind: kind, outcome: outcome)
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(
                label: "lightbox_jobs_finished_total",
                dimensions: [("queue", queue), ("kind", kind), ("outcome", outcome)]
            )
            counters[key] = counter
            return counter
        }
        counter.increment()
        let timerKey = Key(queue: queue, kind: kind, outcome: "")
        let timer = runTimers.withLock { timers in
            if let timer = timers[timerKey] { return timer }
            let timer = Timer(label: "lightbox_job_run_seconds", dimensions: [("queue", queue), ("kind", kind)])
            timers[timerKey] = timer
            return timer
        }
        timer.recordNanoseconds(runNanoseconds)
    }

    func waited(queue: String, nanoseconds: Int64) {
        let timer = waitTimers.withLock { timers in
            if let timer = timers[queue] { return timer }
            let timer = Timer(label: "lightbox_job_wait_seconds", dimensions: [("queue", queue)])
            timers[queue] = timer
            return timer
        }
        timer.recordNanoseconds(max(0, nanoseconds))
    }

    func depth(_ stats: JobStats) {
        for (queue, states) in stats.counts {
            for state in JobState.allCases {
                Gauge(label: "lightbox_jobs", dimensions: [("queue", queue), ("state", state.rawValue)])
                    .record(states[state] ?? 0)
            }
        }
    }
}
