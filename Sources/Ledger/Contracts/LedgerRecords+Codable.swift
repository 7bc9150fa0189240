import LightboxCrypto

/// Listings and purchases as stored (state rows, the purchases projection, a chain's indexed records): every field
/// under its own name, hashes, keys and signatures as hex text. Records written before hex text hold them as arrays
/// of numbers, and are still read.
extension ListingRecord {
    enum CodingKeys: String, CodingKey {
        case id, creator, owner, contentRoot, manifestCID, reportCID, reportHash, score, attestationKey
        case attestationSignature, terms, termsHash, price, royalty, paused, delisted, mintedAt, offer
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UInt64.self, forKey: .id)
        creator = try container.decode(EthereumAddress.self, forKey: .creator)
        owner = try container.decode(EthereumAddress.self, forKey: .owner)
        contentRoot = try container.decode(String.self, forKey: .contentRoot)
        manifestCID = try container.decode(String.self, forKey: .manifestCID)
        reportCID = try container.decode(String.self, forKey: .reportCID)
        reportHash = try container.decodeBytes(forKey: .reportHash)
        score = try container.decode(UInt64.self, forKey: .score)
        attestationKey = try container.decodeBytes(forKey: .attestationKey)
        attestationSignature = try container.decodeBytes(forKey: .attestationSignature)
        terms = try container.decode(LicenceTerms.self, forKey: .terms)
        termsHash = try container.decodeBytes(forKey: .termsHash)
        price = try container.decode(TokenAmount.self, forKey: .price)
        royalty = try container.decode(BasisPoints.self, forKey: .royalty)
        paused = try container.decode(Bool.self, forKey: .paused)
        delisted = try container.decode(Bool.self, forKey: .delisted)
        mintedAt = try container.decode(UInt64.self, forKey: .mintedAt)
        offer = try container.decodeIfPresent(Offer.self, forKey: .offer)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(creator, forKey: .creator)
        try container.encode(owner, forKey: .owner)
        try container.encode(contentRoot, forKey: .contentRoot)
        try container.encode(manifestCID, forKey: .manifestCID)
        try container.encode(reportCID, forKey: .reportCID)
        try container.encode(reportHash.hexString, forKey: .reportHash)
        try container.encode(score, forKey: .score)
        try container.encode(attestationKey.hexString, forKey: .attestationKey)
        try container.encode(attestationSignature.hexString, forKey: .attestationSignature)
        try container.encode(terms, forKey: .terms)
        try container.encode(termsHash.hexString, forKey: .termsHash)
        try container.encode(price, forKey: .price)
        try container.encode(royalty, forKey: .royalty)
        try container.encode(paused, forKey: .paused)
        try container.encode(delisted, forKey: .delisted)
        try container.encode(mintedAt, forKey: .mintedAt)
        try container.encodeIfPresent(offer, forKey: .offer)
    }
}

extension PurchaseRecord {
    enum CodingKeys: String, CodingKey {
        case id, listingID, buyer, seller, price, feeBps, termsHash, buyerKey, purchasedAt, deliveryDeadline, escrow
        case sealedKey, deliveredAt, acceptanceDeadline, dispute, licenceExpiresAt, licenceRevoked
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UInt64.self, forKey: .id)
        listingID = try container.decode(UInt64.self, forKey: .listingID)
        buyer = try container.decode(EthereumAddress.self, forKey: .buyer)
        seller = try container.decode(EthereumAddress.self, forKey: .seller)
        price = try container.decode(TokenAmount.self, forKey: .price)
        feeBps = try container.decode(BasisPoints.self, forKey: .feeBps)
        termsHash = try container.decodeBytes(forKey: .termsHash)
        buyerKey = try container.decodeBytes(forKey: .buyerKey)
        purchasedAt = try container.decode(UInt64.self, forKey: .purchasedAt)
        deliveryDeadline = try container.decode(UInt64.self, forKey: .deliveryDeadline)
        escrow = try container.decode(EscrowState.self, forKey: .escrow)
        sealedKey = try container.contains(.sealedKey) && !container.decodeNil(forKey: .sealedKey) ? container.decodeBytes(forKey: .sealedKey) : nil
        deliveredAt = try container.decodeIfPresent(UInt64.self, forKey: .deliveredAt)
        acceptanceDeadline = try container.decodeIfPresent(UInt64.self, forKey: .acceptanceDeadline)
        dispute = try container.decodeIfPresent(Dispute.self, forKey: .dispute)
        licenceExpiresAt = try container.decodeIfPresent(UInt64.self, forKey: .licenceExpiresAt)
        licenceRevoked = try container.decode(Bool.self, forKey: .licenceRevoked)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(listingID, forKey: .listingID)
        try container.encode(buyer, forKey: .buyer)
        try container.encode(seller, forKey: .seller)
        try container.encode(price, forKey: .price)
        try container.encode(feeBps, forKey: .feeBps)
        try container.encode(termsHash.hexString, forKey: .termsHash)
        try container.encode(buyerKey.hexString, forKey: .buyerKey)
        try container.encode(purchasedAt, forKey: .purchasedAt)
        try container.encode(deliveryDeadline, forKey: .deliveryDeadline)
        try container.encode(escrow, forKey: .escrow)
        try container.encodeIfPresent(sealedKey?.hexString, forKey: .sealedKey)
        try container.encodeIfPresent(deliveredAt, forKey: .deliveredAt)
        try container.encodeIfPresent(acceptanceDeadline, forKey: .acceptanceDeadline)
        try container.encodeIfPresent(dispute, forKey: .dispute)
        try container.encodeIfPresent(licenceExpiresAt, forKey: .licenceExpiresAt)
        try container.encode(licenceRevoked, forKey: .licenceRevoked)
    }
}

extension KeyedDecodingContainer {
    /// Bytes stored as hex text, or as the array of numbers of records written before.
    func decodeBytes(forKey key: Key) throws -> [UInt8] {
        if let text = try? decode(String.self, forKey: key) {
            guard let bytes = [UInt8](hexString: text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is not hex")
            }
            return bytes
        }
        return try decode([UInt8].self, forKey: key)
    }
}
