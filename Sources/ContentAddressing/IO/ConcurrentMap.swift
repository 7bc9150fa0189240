#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Runs independent work on every core and gives the results back in order: a file's leaves are hashed, and a
/// dataset's files hashed and encrypted, without waiting for each other.
///
/// The work runs on the global dispatch queues, never through `concurrentPerform` on the caller's thread: called
/// from a task, that would spread the iterations over the concurrency pool's few threads and stall every other
/// task of the process until it ends. The caller's thread waits.
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
                for worker in 0..<count {
                    DispatchQueue.global(qos: .utility).async(group: group) {
                        for index in stride(from: worker, to: work.elements.count, by: count) {
                            work.slots[index] = Swift.Result { try work.transform(work.elements[index]) }
                        }
                    }
                }
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
    }
}
