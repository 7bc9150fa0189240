#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Runs independent work on every core and gives the results back in order: a file's leaves are hashed, and a
/// dataset's files hashed and encrypted, without waiting for each other.
///
/// The work runs on the caller's thread and the global dispatch queues, never through `concurrentPerform`: called
/// from a task, that would spread the iterations over the concurrency pool's few threads and stall every other
/// task of the process until it ends.
public enum ConcurrentMap {
    /// How many workers run at once: one per processor online.
    public static var workers: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `transform` of each element, in order; the first error (by position) is thrown after all have run.
    public static func map<Element, Result: Sendable>(
        _ elements: [Element], _ transform: (Element) throws -> Result
    ) throws -> [Result] {
        guard elements.count > 1 else { return try elements.map(transform) }
        let slots = UnsafeMutableBufferPointer<Swift.Result<Result, any Error>?>.allocate(capacity: elements.count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        try withoutActuallyEscaping(transform) { transform in
            try elements.withUnsafeBufferPointer { elements in
                let work = Work(elements: elements, transform: transform, slots: slots)
                let group = DispatchGroup()
                let count = min(workers, elements.count)
                // The caller's thread takes the first share (it would only wait otherwise), the others go to the
                // global queue.
                for worker in 1..<count {
                    DispatchQueue.global(qos: .utility).async(group: group) { work.run(share: worker, of: count) }
                }
                work.run(share: 0, of: count)
                group.wait()
            }
        }
        return try slots.map { try $0!.get() }
    }

    /// What every worker reads, and the slots each writes its own of: the work touches only its own element and
    /// what is safe to share (files, a thread-safe blockstore).
    private struct Work<Element, Result>: @unchecked Sendable {
        let elements: UnsafeBufferPointer<Element>
        let transform: (Element) throws -> Result
        let slots: UnsafeMutableBufferPointer<Swift.Result<Result, any Error>?>

        /// Every `of`-th element from `share`.
        func run(share: Int, of count: Int) {
            for index in stride(from: share, to: elements.count, by: count) {
                slots[index] = Swift.Result { try transform(elements[index]) }
            }
        }
    }
}
