import Foundation

/// The memory the quality check's decoding may hold at once, across every image being read, decoded, hashed and
/// measured in the process. Each image reserves, in one piece and before its file is read, all it will need — its
/// file's bytes, its pixels and the hashing buffers, sized from its header (width × height × (output channels +
/// the two 4-byte PDQ buffers)) — and waits while others hold the budget; an image that alone needs more than the
/// whole budget is reported, not decoded. Since nothing waits while holding part of the budget, waiting always
/// ends. Reservations are given back when their image is done with.
///
/// Waiting blocks a thread: decoding runs on its own dispatch queue, never on the concurrency pool.
/// `@unchecked Sendable`: `held` is read and written only with `state` locked.
public final class DecodingBudget: @unchecked Sendable {
    /// The bytes that may be held at once.
    public let limit: Int
    private let state: NSCondition
    private var held = 0

    /// 512 MiB for the whole process.
    public static let defaultLimit = 512 << 20

    public init(memoryBytes: Int = DecodingBudget.defaultLimit) {
        limit = memoryBytes
        state = NSCondition()
    }

    /// The bytes decoding an image of `header` to `channels` output channels holds at its peak, beyond the file.
    public static func pixelBytes(width: Int, height: Int, channels: Int) -> Int {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else { return .max }
        let (bytes, overflowBytes) = pixels.multipliedReportingOverflow(by: channels + 8)
        return overflowBytes ? .max : bytes
    }

    /// Reserves `bytes`, waiting while others hold too much; nil when `bytes` alone is more than the budget.
    public func reserve(_ bytes: Int) -> Reservation? {
        guard bytes <= limit else { return nil }
        state.lock()
        while held + bytes > limit { state.wait() }
        held += bytes
        state.unlock()
        return Reservation(budget: self, bytes: bytes)
    }

    /// The bytes reserved now.
    public var reserved: Int {
        state.lock()
        defer { state.unlock() }
        return held
    }

    fileprivate func release(_ bytes: Int) {
        state.lock()
        held -= bytes
        state.broadcast()
        state.unlock()
    }

    /// Bytes held from the budget until this is released or deinitialised.
    public final class Reservation: Sendable {
        private let budget: DecodingBudget
        let bytes: Int

        fileprivate init(budget: DecodingBudget, bytes: Int) {
            self.budget = budget
            self.bytes = bytes
        }

        deinit { budget.release(bytes) }
    }
}
