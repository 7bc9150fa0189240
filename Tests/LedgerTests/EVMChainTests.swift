import Foundation
import Ledger
import LightboxCrypto
import LightboxTestSupport
import Testing

/// The JSON-RPC client, transaction sending and deployment against the development chain (py-evm behind JSON-RPC).
@Suite("EVM chain client")
struct EVMChainTests {
    @Test("the embedded contract artifacts are the committed contracts/build/*.json, byte for byte")
    func embeddedArtifacts() throws {
        let build = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("contracts/build")
        for contract in LightboxContract.allCases {
            let file = try Data(contentsOf: build.appendingPathComponent("\(contract.rawValue).json"))
            let artifact = ContractArtifact.of(contract)
            struct Fields: Decodable { let bytecode: String; let evm_version: String; let compiler: String }
            let fields = try JSONDecoder().decode(Fields.self, from: file)
            #expect("0x" + artifact.bytecode.hexString == fields.bytecode, "\(contract.rawValue): run python contracts/build.py")
            #expect(artifact.evmVersion == fields.evm_version && artifact.compiler == fields.compiler)
            let fileABI = try ContractABI(json: Array(file))
            #expect(fileABI.functions.map(\.signature) == artifact.abi.functions.map(\.signature))
            #expect(fileABI.events.map(\.signature) == artifact.abi.events.map(\.signature))
        }
        // Selectors the contracts' tests and the Swift side both rely on.
        #expect(try ContractArtifact.of(.devToken).abi.function("transfer").selector.hexString == "a9059cbb")
        #expect(try ContractArtifact.of(.registry).abi.function(signature: "safeTransferFrom(address,address,uint256,bytes)").selector.hexString == "b88d4fde")
        #expect(try ContractArtifact.of(.devToken).abi.event("Transfer").topic.hexString
            == "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(throws: EVMError.self) { try ContractArtifact.of(.registry).abi.function("safeTransferFrom") }
    }

    @Test("the client reads the chain: chain id, head, a batch of headers chained by parent hash; an unknown method is the node's error")
    func reads() async throws {
        let rpc = TestChain.rpc(try TestChain.sharedURL())
        #expect(try await rpc.chainID() == 31337)
        _ = try await TestChain.fundedKey(1)  // at least one block beyond genesis
        let head = try await rpc.blockNumber()
        #expect(head >= 1)
        let headers = try await rpc.blocks([head - 1, head, head + 1000])
        #expect(headers.count == 3 && headers[2] == nil)
        #expect(headers[1]?.parentHash == headers[0]?.hash)
        do {
            _ = try await rpc.client.call("lightbox_noSuchMethod")
            Issue.record("an unknown method was answered")
        } catch {
            #expect(error.code == .rpc && error.rpcCode == -32601)
        }
        let history = try await rpc.feeHistory(blocks: 3, percentiles: [50])
        #expect(history.baseFeePerGas.count == history.reward.count + 1)
    }

    @Test("a value transfer from a fresh key is mined, confirmed and moves exactly the value plus the gas paid")
    func transfer() async throws {
        let url = try TestChain.sharedURL()
        let key = try await TestChain.fundedKey(2 * TestChain.ether)
        let sender = try await TestChain.sender(key, url: url, confirmations: 1)
        let recipient = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        let receipt = try await sender.send(to: recipient, data: [], value: 12_345, what: "a test transfer")
        #expect(receipt.succeeded && receipt.gasUsed == 21_000)
        #expect(try await sender.rpc.balance(of: recipient) == 12_345)
        let spent = 2 * TestChain.ether - (try await sender.rpc.balance(of: sender.account))
        #expect(spent == 12_345 + UInt128(receipt.gasUsed) * (receipt.effectiveGasPrice ?? 0))
        #expect(try await sender.rpc.transactionCount(of: sender.account, at: .latest) == 1)
    }

    @Test("concurrent sends from one account through one reservation book use each nonce once, without gaps")
    func concurrentNonces() async throws {
        let url = try TestChain.sharedURL()
        let key = try await TestChain.fundedKey()
        let book = InMemoryNonceReservations()
        let sender = try await TestChain.sender(key, url: url, nonces: book)
        let recipient = EthereumAddress(publicKey: Secp256k1.PrivateKey.random().publicKey)
        let receipts = try await withThrowingTaskGroup(of: TransactionReceipt.self) { group in
            for value in 1...8 { group.addTask { try await sender.send(to: recipient, data: [], value: UInt128(value), what: "send \(value)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(receipts.count == 8 && receipts.allSatisfy(\.succeeded))
        #expect(try await sender.rpc.balance(of: recipient) == 36)
        #expect(try await sender.rpc.transactionCount(of: sender.account, at: .latest) == 8)
    }

    @Test("deploying from the embedded artifacts wires the contracts; a call that would revert is refused with its reason and takes no nonce")
    func deployAndRefuse() async throws {
        let url = try TestChain.sharedURL()
        let key = try await TestChain.fundedKey(100 * TestChain.ether)
        let sender = try await TestChain.sender(key, url: url)
        let qaKey = Secp256k1.PrivateKey.random()
        var options = ContractDeployer.Options(development: true)
        options.qaSigners = [EthereumAddress(publicKey: qaKey.publicKey)]
        let addresses = try await ContractDeployer(sender: sender).deploy(options)
        #expect(addresses.developmentToken && addresses.licences == addresses.escrow && addresses.owner == sender.account)
        #expect(try ContractAddresses(json: addresses.json) == addresses)

        let governance = ContractArtifact.of(.governance).abi
        let isQASigner = try governance.function("isQASigner")
        let output = try await sender.rpc.call(CallRequest(to: addresses.governance,
                                                           data: try isQASigner.encodeCall([.address(EthereumAddress(publicKey: qaKey.publicKey))])))
        #expect(try isQASigner.decodeOutput(output) == [.bool(true)])

        // The faucet's Transfer event decodes through the ABI.
        let token = ContractArtifact.of(.devToken).abi
        let receipt = try await sender.send(to: addresses.paymentToken, data: try token.function("faucet").encodeCall([.uint(5 * TestChain.ether)]), what: "faucet")
        let transfer = try token.event("Transfer")
        let log = try #require(receipt.logs.first { $0.topics.first == transfer.topic })
        #expect(try transfer.decode(topics: log.topics, data: log.data)
            == [.address(try EthereumAddress(bytes: [UInt8](repeating: 0, count: 20))), .address(sender.account), .uint(5 * TestChain.ether)])

        // Another account may not register an arbiter: refused before sending, with the contract's reason.
        let stranger = try await TestChain.sender(try await TestChain.fundedKey(), url: url)
        do {
            _ = try await stranger.send(to: addresses.governance,
                                        data: try governance.function("setArbiter").encodeCall([.address(stranger.account), .bool(true)]),
                                        what: "setArbiter")
            Issue.record("a stranger registered an arbiter")
        } catch {
            #expect(error.code == .reverted)
            #expect(error.message.contains("unauthorised"), "\(error.message)")
        }
        #expect(try await sender.rpc.transactionCount(of: stranger.account, at: .pending) == 0)
        // The stranger's next transaction takes nonce 0: nothing was burned.
        let next = try await stranger.send(to: stranger.account, data: [], what: "a transfer to self")
        let count = try await sender.rpc.transactionCount(of: stranger.account, at: .latest)
        #expect(next.succeeded && count == 1)
    }

    @Test("an account without ether to pay for gas gets a clear error naming its balance, and its nonce is given back")
    func outOfFunds() async throws {
        let url = try TestChain.sharedURL()
        let broke = Secp256k1.PrivateKey.random()
        let book = InMemoryNonceReservations()
        let sender = try await TestChain.sender(broke, url: url, nonces: book)
        do {
            _ = try await sender.send(to: sender.account, data: [], value: 0, what: "relaying an intent")
            Issue.record("an account without ether sent a transaction")
        } catch {
            #expect(error.message.contains("has 0 wei") && error.message.contains("fund it"), "\(error.message)")
        }
        #expect(try await book.reserve(account: sender.account, chainID: sender.chainID, atLeast: 0) == 0)
    }

    @Test("an endpoint that does not answer fails after its retries, and the URL's credentials never reach a message")
    func transportMessages() async throws {
        let transport = HTTPJSONRPCTransport(url: "http://user:secret@127.0.0.1:1/rpc?key=abc", http: TestChain.http,
                                             policy: .init(timeout: .milliseconds(500), attempts: 2, initialBackoff: .milliseconds(10)))
        #expect(transport.endpoint == "http://127.0.0.1:1/rpc")
        do {
            _ = try await EthereumRPC(transport: transport).chainID()
            Issue.record("a closed port answered")
        } catch {
            #expect(error.code == .transport && error.message.contains("after 2 attempts") && !error.message.contains("secret"))
        }
    }
}
