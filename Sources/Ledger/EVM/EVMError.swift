/// An error from talking to an EVM chain: encoding, the JSON-RPC endpoint, or a transaction the chain refused.
///
/// The code is stable and safe as a metric label; `message` says what happened and what to do.
public struct EVMError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Bytes that are not valid RLP or ABI, or a value that does not fit its type.
        case encoding
        /// The endpoint could not be reached, timed out, or answered with an HTTP error.
        case transport
        /// The endpoint answered with a JSON-RPC error (`rpcCode` and `data` carry it).
        case rpc
        /// The endpoint answered with something that is not the JSON-RPC result expected.
        case malformedResponse
        /// A call or transaction reverted (`data` carries the revert data).
        case reverted
        /// The sending account cannot pay for the gas: fund it.
        case unfunded
        /// A transaction was not mined (or not confirmed) in the time allowed.
        case timeout
        /// The configuration does not fit the chain: another chain id, contracts that are not there.
        case configuration
    }

    public let code: Code
    public let message: String
    /// The JSON-RPC error code, for `.rpc` and `.reverted`.
    public let rpcCode: Int?
    /// The revert data or the error's `data` field, when the endpoint gave one.
    public let data: [UInt8]?

    public init(_ code: Code, _ message: String, rpcCode: Int? = nil, data: [UInt8]? = nil) {
        self.code = code
        self.message = message
        self.rpcCode = rpcCode
        self.data = data
    }

    public var description: String { message }
}
