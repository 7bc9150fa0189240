import Foundation
import Ledger
import LightboxCrypto

/// The benchmark's baseline: the least a client can do to get transactions into a chain. Every transaction is signed
/// before the clock starts (sequential nonces, one gas limit and one fee for all), then sent with
/// `eth_sendRawTransaction` and its receipt polled until it is mined, `concurrency` at a time. No estimates, no
/// nonce book, no confirmations checked again, no index.
struct MinimalChainClient {
    let rpc: EthereumRPC
    let chainID: UInt64
    let key: Secp256k1.PrivateKey
    let pollInterval: Duration

    /// Sends calls of `data` to `contract`; returns transactions per second.
    func send(_ calls: [[UInt8]], to contract: EthereumAddress, concurrency: Int) async throws -> Double {
        guard let first = calls.first else { return 0 }
        let account = EthereumAddress(publicKey: key.publicKey)
        let gas = try await rpc.estimateGas(CallRequest(from: account, to: contract, data: first))
        let history = try await rpc.feeHistory(blocks: 1, percentiles: [50])
        let baseFee = history.baseFeePerGas.last ?? 0
        let nonce = try await rpc.transactionCount(of: account, at: .pending)
        let signed = calls.enumerated().map { offset, data in
            EIP1559Transaction(chainID: chainID, nonce: nonce + UInt64(offset), maxPriorityFeePerGas: FeePolicy.gwei,
                               maxFeePerGas: 2 * baseFee + FeePolicy.gwei, gasLimit: gas * 2, to: contract, data: data).signed(by: key)
        }
        let queue = WorkQueue(signed)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while let transaction = await queue.next() {
                        let hash = try await rpc.sendRawTransaction(transaction.raw)
                        while true {
                            if let receipt = try await rpc.transactionReceipt(hash) {
                                guard receipt.succeeded else { throw CommandError("a baseline transaction reverted") }
                                break
                            }
                            try await Task.sleep(for: pollInterval)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(calls.count) / (ContinuousClock.now - start).seconds
    }
}
