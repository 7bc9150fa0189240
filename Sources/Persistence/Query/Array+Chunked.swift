extension Array {
    /// The elements in runs of at most `size`, in order: how many rows or parameters go into one statement.
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
