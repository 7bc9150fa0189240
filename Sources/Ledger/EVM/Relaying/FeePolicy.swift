/// How the relaying account prices its transactions: a tip from what recent blocks paid, a fee cap of twice the next
/// base fee plus the tip, and hard caps it never exceeds.
public struct FeePolicy: Sendable, Equatable {
    /// The most the account pays per gas, base fee and tip together (wei).
    public var maxFeePerGasCap: UInt128
    /// The most it tips per gas (wei).
    public var maxPriorityFeeCap: UInt128
    /// The least it tips, when recent blocks paid nothing (wei).
    public var minimumPriorityFee: UInt128
    /// Which percentile of recent blocks' tips to pay.
    public var priorityPercentile: Double
    /// How much a replacement raises both fees, in per cent (nodes require at least 10).
    public var replacementBumpPercent: UInt128

    public static let gwei: UInt128 = 1_000_000_000

    public init(maxFeePerGasCap: UInt128 = 500 * gwei, maxPriorityFeeCap: UInt128 = 5 * gwei,
                minimumPriorityFee: UInt128 = gwei / 100, priorityPercentile: Double = 50, replacementBumpPercent: UInt128 = 15) {
        self.maxFeePerGasCap = maxFeePerGasCap
        self.maxPriorityFeeCap = maxPriorityFeeCap
        self.minimumPriorityFee = min(minimumPriorityFee, maxPriorityFeeCap)
        self.priorityPercentile = priorityPercentile
        self.replacementBumpPercent = max(replacementBumpPercent, 10)
    }

    /// The fees for a new transaction, from a fee history of recent blocks.
    /// - Throws: ``EVMError`` `.configuration` when the next base fee alone is above the cap.
    func fees(from history: FeeHistory) throws(EVMError) -> (maxFee: UInt128, tip: UInt128) {
        let nextBaseFee = history.baseFeePerGas.last ?? 0
        let tips = history.reward.compactMap(\.first).filter { $0 > 0 }.sorted()
        let recentTip = tips.isEmpty ? minimumPriorityFee : tips[tips.count / 2]
        let tip = min(max(recentTip, minimumPriorityFee), maxPriorityFeeCap)
        guard nextBaseFee + tip <= maxFeePerGasCap else {
            throw EVMError(.configuration, "the chain's base fee (\(nextBaseFee) wei a gas) plus the tip is above the fee cap of \(maxFeePerGasCap) wei; raise ledger.evm.max-fee-gwei or wait for fees to fall")
        }
        return (min(2 * nextBaseFee + tip, maxFeePerGasCap), tip)
    }

    /// The fees of a replacement for a transaction sent with `previous` fees: both raised by the bump, within the
    /// caps; `nil` when the caps leave no room for a replacement the node would accept.
    func replacementFees(after previous: (maxFee: UInt128, tip: UInt128)) -> (maxFee: UInt128, tip: UInt128)? {
        let tip = min(previous.tip * (100 + replacementBumpPercent) / 100 + 1, maxPriorityFeeCap)
        let maxFee = min(previous.maxFee * (100 + replacementBumpPercent) / 100 + 1, maxFeePerGasCap)
        guard tip * 100 >= previous.tip * 110, maxFee * 100 >= previous.maxFee * 110 else { return nil }
        return (maxFee, tip)
    }
}
