import Foundation
public import LightboxCrypto
public import Logging
public import Persistence

/// Reads the contracts' events into the database: `eth_getLogs` over block ranges from a durable cursor (block
/// number and hash), only blocks with `confirmations` blocks on them, each batch in one transaction with the records
/// the events fold into (``ChainRecords``) and what they replaced. A parent hash that does not match the cursor means
/// a reorganisation: everything above the fork is undone and read again. Several processes may run it: the cursor
/// moves by compare-and-set, so each block is indexed once.
public actor ChainIndexer {
    let rpc: EthereumRPC
    let database: any Database
    let addresses: ContractAddresses
    let mapper: LogEvents
    /// Blocks on a block (its own included) before it is indexed.
    public let confirmations: UInt64
    let blocksPerBatch: UInt64
    let logger: Logger
    /// Blocks whose hashes (and undo entries) are kept: the deepest reorganisation that can be undone.
    static let keptBlocks: UInt64 = 512

    public init(rpc: EthereumRPC, database: any Database, addresses: ContractAddresses, confirmations: UInt64,
                blocksPerBatch: UInt64 = 2_000, logger: Logger) {
        self.rpc = rpc
        self.database = database
        self.addresses = addresses
        mapper = LogEvents(addresses)
        self.confirmations = max(1, confirmations)
        self.blocksPerBatch = max(1, blocksPerBatch)
        self.logger = logger
    }

    public struct Cursor: Sendable, Equatable {
        public let block: UInt64
        public let hash: [UInt8]
        let nextIndex: UInt64
    }

    /// Where the index stands; `nil` before the first catch-up.
    public func cursor() async throws -> Cursor? {
        let rows = try await database.query("SELECT block_number, block_hash, next_idx FROM evm_cursor WHERE name = 'chain'", logger: logger)
        return try rows.first.map { row in
            Cursor(block: UInt64(try row.decode("block_number", as: Int64.self)), hash: [UInt8](hexString: try row.decode("block_hash"))!,
                   nextIndex: UInt64(try row.decode("next_idx", as: Int64.self)))
        }
    }

    /// The last block this process knows to be indexed (by it or another): a lower bound of the cursor.
    private var indexedThrough: UInt64?
    /// The catch-up running now. The actor is reentrant across its awaits, so catch-ups are chained explicitly:
    /// callers that arrive during one wait for it and then look again, instead of reading the same blocks twice.
    private var running: Task<UInt64, any Error>?

    /// Indexes every confirmed block not indexed yet; returns the last indexed block.
    @discardableResult
    public func catchUp() async throws -> UInt64 {
        let head = try await rpc.blockNumber()
        guard head + 1 >= confirmations else { return indexedThrough ?? 0 }
        try await catchUp(through: head + 1 - confirmations)
        return indexedThrough ?? 0
    }

    /// Indexes through `block`, a block the caller knows to be confirmed (its transaction's, once the sender has
    /// waited for the confirmations): nothing to ask the node first, and nothing at all when a catch-up meanwhile
    /// already read it.
    public func catchUp(through block: UInt64) async throws {
        while (indexedThrough ?? 0) < block || indexedThrough == nil {
            if let running {
                _ = await running.result  // its failure is its caller's; this one tries again itself
                continue
            }
            let task = Task { try await self.index(through: block) }
            running = task
            let result = await task.result
            running = nil
            indexedThrough = max(indexedThrough ?? 0, try result.get())
        }
    }

    /// Reads batches from the cursor through `block`; returns the cursor's block after them.
    private func index(through block: UInt64) async throws -> UInt64 {
        var cursor = try await start()
        while cursor.block < block {
            cursor = try await indexBatch(after: cursor, through: min(block, cursor.block + blocksPerBatch))
        }
        return cursor.block
    }

    /// The cursor, created at the block before the deployment with governance as the contracts hold it now.
    private func start() async throws -> Cursor {
        if let cursor = try await cursor() { return cursor }
        let first = addresses.deploymentBlock ?? 0
        let before = first == 0 ? 0 : first - 1
        guard let block = try await rpc.block(.number(before)) else {
            throw EVMError(.configuration, "the chain has no block \(before): is the deployment file for this chain?")
        }
        let governance = try await ContractReads(rpc: rpc, addresses: addresses).governance()
        let governanceRow = String(decoding: try ChainRecords.encoder.encode(governance), as: UTF8.self)
        try await database.withTransaction(logger: logger) { connection in
            try await connection.execute(
                """
                INSERT INTO evm_cursor (name, block_number, block_hash, next_idx) VALUES ('chain', \(Int64(before)), \(block.hash.hexString), 1)
                ON CONFLICT (name) DO NOTHING
                """)
            try await connection.execute(
                "INSERT INTO evm_records (kind, id, value) VALUES ('governance', '', \(governanceRow)) ON CONFLICT (kind, id) DO NOTHING")
            try await connection.execute(
                """
                INSERT INTO evm_blocks (block_number, block_hash, parent_hash, time)
                VALUES (\(Int64(before)), \(block.hash.hexString), \(block.parentHash.hexString), \(Int64(block.timestamp)))
                ON CONFLICT (block_number) DO NOTHING
                """)
        }
        return try await cursor()!
    }

    /// Reads blocks after the cursor through `to` and commits them; on a reorganisation, rolls back instead.
    private func indexBatch(after cursor: Cursor, through to: UInt64) async throws -> Cursor {
        // The first new block must follow the cursor's, or the chain changed under the index.
        let edges = try await rpc.blocks(cursor.block + 1 == to ? [to] : [cursor.block + 1, to])
        guard let first = edges.first ?? nil, let last = edges.last ?? nil else {
            throw EVMError(.malformedResponse, "the node has no block \(cursor.block + 1)…\(to) although its head is past them")
        }
        guard first.parentHash == cursor.hash else {
            return try await rollBack(from: cursor)
        }
        let logs = try await rpc.logs(addresses: mapper.addresses, from: cursor.block + 1, to: to, topics: mapper.topics)
            .filter { !$0.removed }
            .sorted { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
        // Timestamps of the blocks with logs: from the logs where the node gives them, else from the headers (whose
        // hashes the logs are checked against).
        var times = [UInt64: UInt64]()
        for log in logs { if let time = log.blockTimestamp { times[log.blockNumber] = time } }
        var headers = [UInt64: BlockHeader]()
        headers[first.number] = first
        headers[last.number] = last
        let missing = Array(Set(logs.map(\.blockNumber)).filter { times[$0] == nil && headers[$0] == nil }).sorted()
        for header in try await rpc.blocks(missing).compactMap({ $0 }) { headers[header.number] = header }
        for header in headers.values { times[header.number] = header.timestamp }
        for log in logs where headers[log.blockNumber].map({ $0.hash != log.blockHash }) ?? (times[log.blockNumber] == nil) {
            // A log of a block that was replaced between the calls: try again from the cursor.
            logger.notice("a block changed while it was read; reading again", metadata: ["block": "\(log.blockNumber)"])
            return cursor
        }
        let mints = try await mintDetails(logs)
        var events = [(log: EventLog, event: LedgerEvent)]()
        for log in logs {
            if let event = try mapper.event(of: log) { events.append((log, event)) }
        }
        let moved = try await database.withTransaction(logger: logger) { connection -> Bool in
            try await connection.lock("evm_indexer")
            let current = try await connection.query("SELECT block_number, next_idx FROM evm_cursor WHERE name = 'chain'")
            guard let row = current.first, UInt64(try row.decode("block_number", as: Int64.self)) == cursor.block else { return false }
            var nextIndex = UInt64(try row.decode("next_idx", as: Int64.self))
            var records = try await ChainRecords.load(Self.keys(of: events.map(\.event)), on: connection)
            var undoOrder = 0
            var previousTransaction: [UInt8]? = nil
            var position = 0
            var byBlock = [UInt64: [(log: EventLog, event: LedgerEvent)]]()
            for item in events { byBlock[item.log.blockNumber, default: []].append(item) }
            for number in byBlock.keys.sorted() {
                let before = records
                let time = times[number]!
                for (log, event) in byBlock[number]! {
                    let mint = event.name == "ListingMinted" ? mints[log.transactionHash] : nil
                    let completed = try records.apply(event, time: time, mint: mint)
                    if log.transactionHash != previousTransaction {
                        nextIndex += 1
                        position = 0
                        previousTransaction = log.transactionHash
                    } else {
                        position += 1
                    }
                    try await Self.insert(completed, index: nextIndex - 1, position: position, block: log.blockNumber,
                                          transaction: log.transactionHash.hexString, time: time, on: connection)
                }
                for key in records.takeChanged() {
                    let (kind, id) = ChainRecords.kindAndID(key)
                    let previous = before.row(key)
                    try await connection.execute(
                        """
                        INSERT INTO evm_undo (block_number, ord, kind, id, previous, previous_lookup)
                        VALUES (\(Int64(number)), \(undoOrder), \(kind), \(id), \(previous?.value), \(previous?.lookup))
                        """)
                    undoOrder += 1
                    let now = records.row(key)
                    try await ChainRecords.put(kind: kind, id: id, value: now?.value, lookup: now?.lookup, on: connection)
                }
            }
            for header in headers.values {
                try await connection.execute(
                    """
                    INSERT INTO evm_blocks (block_number, block_hash, parent_hash, time)
                    VALUES (\(Int64(header.number)), \(header.hash.hexString), \(header.parentHash.hexString), \(Int64(header.timestamp)))
                    ON CONFLICT (block_number) DO UPDATE SET block_hash = excluded.block_hash, parent_hash = excluded.parent_hash, time = excluded.time
                    """)
            }
            let horizon = Int64(to) - Int64(Self.keptBlocks)
            try await connection.execute("DELETE FROM evm_blocks WHERE block_number < \(horizon)")
            try await connection.execute("DELETE FROM evm_undo WHERE block_number < \(horizon)")
            try await connection.execute(
                "UPDATE evm_cursor SET block_number = \(Int64(to)), block_hash = \(last.hash.hexString), next_idx = \(Int64(nextIndex)) WHERE name = 'chain'")
            return true
        }
        if !moved { logger.debug("another process indexed these blocks", metadata: ["from": "\(cursor.block + 1)"]) }
        return try await self.cursor()!
    }

    /// The records a batch of events touches.
    static func keys(of events: [LedgerEvent]) -> Set<ChainRecords.Key> {
        var keys = Set<ChainRecords.Key>()
        for event in events {
            if let id = event.fields["listingId"].flatMap(UInt64.init) { keys.insert(.listing(id)) }
            if let id = event.fields["purchaseId"].flatMap(UInt64.init) { keys.insert(.purchase(id)) }
            if event.name == "ApprovalForAll", let owner = event.fields["owner"].flatMap({ try? EthereumAddress($0) }) { keys.insert(.operators(owner)) }
        }
        return keys
    }

    /// Stores an event of the feed (`transaction` empty for the index's own notices) and the accounts it names.
    static func insert(_ event: LedgerEvent, index: UInt64, position: Int, block: UInt64, transaction: String, time: UInt64,
                       on connection: any DatabaseConnection) async throws {
        let fields = String(decoding: event.fieldsJSON.canonicalBytes, as: UTF8.self)
        try await connection.execute(
            """
            INSERT INTO evm_events (idx, position, block_number, tx_hash, time, contract, name, listing_id, fields)
            VALUES (\(Int64(index)), \(position), \(Int64(block)), \(transaction), \(Int64(time)),
                \(event.contract), \(event.name), \(event.listingID.map { Int64($0) }), \(fields))
            """)
        for account in Set(event.accounts) {
            try await connection.execute("INSERT INTO evm_event_accounts (account, idx, position) VALUES (\(account), \(Int64(index)), \(position))")
        }
    }

    /// The terms and attestation signatures of the mints among `logs`, from their transactions' inputs.
    private func mintDetails(_ logs: [EventLog]) async throws -> [[UInt8]: ChainRecords.MintDetails] {
        let topic = try ContractArtifact.of(.registry).abi.event("ListingMinted").topic
        let hashes = Array(Set(logs.filter { $0.address == addresses.registry && $0.topics.first == topic }.map(\.transactionHash)))
        guard !hashes.isEmpty else { return [:] }
        var details = [[UInt8]: ChainRecords.MintDetails]()
        for (hash, input) in zip(hashes, try await rpc.transactionInputs(hashes)) {
            if let input, let mint = MintCalldata.details(input) {
                details[hash] = mint
            } else {
                logger.warning("a mint's terms could not be read from its transaction", metadata: ["tx": "0x\(hash.hexString)"])
            }
        }
        return details
    }

    /// Undoes every indexed block above the fork with the chain, and leaves the cursor there. The fork is the
    /// highest kept block whose hash the chain still has.
    private func rollBack(from cursor: Cursor) async throws -> Cursor {
        let kept = try await database.query(
            "SELECT block_number, block_hash FROM evm_blocks WHERE block_number <= \(Int64(cursor.block)) ORDER BY block_number DESC", logger: logger)
        var fork: (number: UInt64, hash: String)?
        for row in kept {
            let number = UInt64(try row.decode("block_number", as: Int64.self))
            let hash: String = try row.decode("block_hash")
            if let header = try await rpc.block(.number(number)), header.hash.hexString == hash {
                fork = (number, hash)
                break
            }
        }
        guard let fork else {
            throw EVMError(.configuration, "the chain reorganised deeper than the \(Self.keptBlocks) blocks the index keeps; stop the node, clear the evm_* tables and index again from the deployment block")
        }
        logger.warning("the chain reorganised: undoing the index above the fork", metadata: ["fork": "\(fork.number)", "cursor": "\(cursor.block)"])
        try await database.withTransaction(logger: logger) { connection in
            try await connection.lock("evm_indexer")
            let current = try await connection.query("SELECT block_number, next_idx FROM evm_cursor WHERE name = 'chain'")
            guard let row = current.first, UInt64(try row.decode("block_number", as: Int64.self)) == cursor.block else { return }
            let nextIndex = UInt64(try row.decode("next_idx", as: Int64.self))
            let undo = try await connection.query(
                "SELECT kind, id, previous, previous_lookup FROM evm_undo WHERE block_number > \(Int64(fork.number)) ORDER BY block_number DESC, ord DESC")
            var listings = Set<String>(), purchases = Set<String>()
            for entry in undo {
                let kind: String = try entry.decode("kind"), id: String = try entry.decode("id")
                if kind == "listing" { listings.insert(id) }
                if kind == "purchase" { purchases.insert(id) }
                try await ChainRecords.put(kind: kind, id: id, value: try entry.decode("previous", as: String?.self),
                                           lookup: try entry.decode("previous_lookup", as: String?.self), on: connection)
            }
            try await connection.execute(
                "DELETE FROM evm_event_accounts WHERE idx IN (SELECT idx FROM evm_events WHERE block_number > \(Int64(fork.number)))")
            try await connection.execute("DELETE FROM evm_events WHERE block_number > \(Int64(fork.number))")
            try await connection.execute("DELETE FROM evm_undo WHERE block_number > \(Int64(fork.number))")
            try await connection.execute("DELETE FROM evm_blocks WHERE block_number > \(Int64(fork.number))")
            // Readers following the feed learn which records changed under them.
            let notice = LedgerEvent("Ledger", "Reorganised", [
                "fromBlock": String(fork.number + 1),
                "listings": listings.sorted { (UInt64($0) ?? 0) < (UInt64($1) ?? 0) }.joined(separator: ","),
                "purchases": purchases.sorted { (UInt64($0) ?? 0) < (UInt64($1) ?? 0) }.joined(separator: ","),
            ])
            try await Self.insert(notice, index: nextIndex, position: 0, block: fork.number, transaction: "",
                                  time: UInt64(Date().timeIntervalSince1970), on: connection)
            try await connection.execute(
                "UPDATE evm_cursor SET block_number = \(Int64(fork.number)), block_hash = \(fork.hash), next_idx = \(Int64(nextIndex + 1)) WHERE name = 'chain'")
        }
        return try await self.cursor()!
    }
}
