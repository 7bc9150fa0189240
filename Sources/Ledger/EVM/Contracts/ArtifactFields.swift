import Foundation

/// The members of a build artifact besides its ABI.
struct ArtifactFields: Decodable {
    let bytecode: String
    let compiler: String
    let evmVersion: String

    enum CodingKeys: String, CodingKey {
        case bytecode, compiler
        case evmVersion = "evm_version"
    }

    init(json: [UInt8]) throws(EVMError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(json))
        } catch {
            throw EVMError(.encoding, "a contract artifact lacks its bytecode, compiler or evm_version: \(error)")
        }
    }
}
