import LightboxCrypto

/// Reads a mint's licence terms and attestation signature back from its transaction's input: `ListingMinted` logs
/// only the terms' hash (strings stay off the contract's storage), and the record needs the terms themselves.
enum MintCalldata {
    /// The details of a `mint` or `mintBySig` call, or `nil` for another input (a mint made through a contract
    /// wallet, whose input is the wallet's own call).
    static func details(_ input: [UInt8]) -> ChainRecords.MintDetails? {
        let abi = ContractArtifact.of(.registry).abi
        guard input.count >= 4, let function = abi.functions.first(where: { ($0.name == "mint" || $0.name == "mintBySig") && $0.selector == Array(input.prefix(4)) }),
              let arguments = try? ABI.decode(function.inputs.map(\.type), from: Array(input.dropFirst(4))),
              let request = arguments.first(where: { if case .tuple = $0 { true } else { false } }),
              let fields = try? request.asList(), fields.count == 11,
              let termValues = try? fields[8].asList(), termValues.count == 10,
              let signature = try? fields[7].asBytes()
        else { return nil }
        do throws(EVMError) {
            let terms = LicenceTerms(
                template: try termValues[0].asString(), spdx: try termValues[1].asString(), commercialUse: try termValues[2].asBool(),
                aiTraining: try termValues[3].asBool(), derivatives: try termValues[4].asBool(), redistribution: try termValues[5].asBool(),
                attribution: try termValues[6].asBool(), seats: try termValues[7].asUInt64(), durationDays: try termValues[8].asUInt64(),
                territory: try termValues[9].asString())
            return ChainRecords.MintDetails(terms: terms, attestationSignature: signature)
        } catch {
            return nil
        }
    }
}

extension LicenceTerms {
    /// Terms that could not be read back from the chain (see ``MintCalldata``); the listing's terms hash still
    /// stands, and its metadata on IPFS names the terms.
    static let unknown = LicenceTerms(template: "unknown", commercialUse: false, aiTraining: false, derivatives: false,
                                      redistribution: false, attribution: false, territory: "")
}
