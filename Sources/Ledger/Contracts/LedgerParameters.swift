public import LightboxCrypto

/// What a ledger is created with, written into its genesis entry: its identity (the intents' domain), who governs
/// it, its fees and its periods. Periods are in seconds.
public struct LedgerParameters: Sendable, Equatable, Codable {
    public var ledgerID: String
    public var chainID: UInt64
    /// The account that keeps the arbiter registry, the QA keys and the platform fee.
    public var governance: EthereumAddress
    /// Where platform fees go.
    public var treasury: EthereumAddress
    /// The platform fee taken from what a seller is paid.
    public var platformFeeBps: BasisPoints
    /// What the party opening a dispute deposits; the arbiter is paid it with the ruling.
    public var arbitrationFee: TokenAmount
    /// How long a seller has to deliver after a purchase before the buyer may reclaim the price.
    public var deliveryPeriod: UInt64
    /// How long a buyer has after delivery to accept or dispute; then anyone may release the escrow.
    public var acceptancePeriod: UInt64
    /// How long both sides may submit evidence after a dispute opens.
    public var evidencePeriod: UInt64
    /// Enables the faucet: only on a development ledger.
    public var devMode: Bool
    /// The most one faucet intent may mint.
    public var faucetLimit: TokenAmount
    /// The most the faucet gives one account in all; nil: no limit (ledgers created before it existed).
    public var faucetAccountLimit: TokenAmount?
    /// Arbiters and QA keys (their addresses, lower-case hex) registered from the start.
    public var arbiters: [EthereumAddress]
    public var qaKeys: [String]

    public init(
        ledgerID: String, chainID: UInt64 = 31_337, governance: EthereumAddress, treasury: EthereumAddress? = nil,
        platformFeeBps: UInt64 = 250, arbitrationFee: TokenAmount = .tokens(5), deliveryPeriod: UInt64 = 86_400,
        acceptancePeriod: UInt64 = 3 * 86_400, evidencePeriod: UInt64 = 2 * 86_400, devMode: Bool = true,
        faucetLimit: TokenAmount = .tokens(10_000), faucetAccountLimit: TokenAmount? = nil, arbiters: [EthereumAddress] = [], qaSigners: [EthereumAddress] = []
    ) throws(LedgerError) {
        guard !ledgerID.isEmpty, ledgerID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != 0x2b }) else {
            throw LedgerError(.invalidArgument, "a ledger id is printable ASCII without spaces or '+', e.g. lightbox-dev")
        }
        self.ledgerID = ledgerID
        self.chainID = chainID
        self.governance = governance
        self.treasury = treasury ?? governance
        self.platformFeeBps = try BasisPoints(platformFeeBps)
        self.arbitrationFee = arbitrationFee
        self.deliveryPeriod = deliveryPeriod
        self.acceptancePeriod = acceptancePeriod
        self.evidencePeriod = evidencePeriod
        self.devMode = devMode
        self.faucetLimit = faucetLimit
        self.faucetAccountLimit = faucetAccountLimit
        self.arbiters = arbiters
        self.qaKeys = qaSigners.map(\.key)
    }

    /// The EIP-712 domain intents for this ledger are signed under.
    public var domain: IntentDomain { .embedded(chainID: chainID, ledgerID: ledgerID) }

    /// The checkpoint origin: `lightbox.ledger/<ledger id>`.
    public var origin: String { "lightbox.ledger/\(ledgerID)" }
}
