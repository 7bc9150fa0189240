import Dispatch
import Foundation

/// Runs independent per-file work on every core and gives the results back in order: the files of a dataset are
/// hashed and encrypted separately, so a directory's files need not wait for each other.
enum ConcurrentMap {
    /// `transform` of each element, in order; the first error (by position) is thrown after all have run.
    static func map<Element, Result: Sendable>(
        _ elements: [Element], _ transform: (Element) throws -> Result
    ) throws -> [Result] {
        guard elements.count > 1 else { return try elements.map(transform) }
        let slots = UnsafeMutableBufferPointer<Swift.Result<Result, any Error>?>.allocate(capacity: elements.count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        let box = Slots(slots)
        try withoutActuallyEscaping(transform) { transform in
            try elements.withUnsafeBufferPointer { elements in
                let input = Input(elements: elements, transform: transform)
                DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                    box.slots[index] = Swift.Result { try input.transform(input.elements[index]) }
                }
            }
        }
        return try slots.map { try $0!.get() }
    }

    /// Each iteration writes only its own slot.
    private struct Slots<Result>: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<Swift.Result<Result, any Error>?>
        init(_ slots: UnsafeMutableBufferPointer<Swift.Result<Result, any Error>?>) { self.slots = slots }
    }

    /// The elements and the work, read by every iteration (the work touches only its own element and what is
    /// safe to share: files, a thread-safe blockstore).
    private struct Input<Element, Result>: @unchecked Sendable {
        let elements: UnsafeBufferPointer<Element>
        let transform: (Element) throws -> Result
    }
}
