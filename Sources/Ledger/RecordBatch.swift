public import LightboxCrypto

/// Ledger records read together (``LedgerBackend/records(purchases:listings:accounts:)``), by id.
public struct RecordBatch: Sendable {
    public var purchases: [UInt64: PurchaseRecord] = [:]
    public var listings: [UInt64: ListingRecord] = [:]
    public var accounts: [EthereumAddress: AccountRecord] = [:]

    public init() {}
}
