# pragma version 0.4.3
# pragma evm-version cancun
"""
@title Lightbox DatasetRegistry
@notice Listing tokens: snekmate ERC-721 (enumerable, metadata, EIP-4906), `tokenURI` = "ipfs://" + the manifest CID, and
        EIP-2981 `royaltyInfo` paying the creator. A listing is minted only with
        a passing QA attestation (EIP-712, domain {name: "Lightbox QA",
        version: "1"}) signed by a QA signer registered in Governance, once per
        manifest (a delisted listing frees its manifest). The owner sets the
        price, pauses and delists, and may offer the token for sale; taking an
        offer pays the royalty to the creator and the rest to the owner.
        `setApprovalForAll` is the embedded ledger's SetOperator: an operator
        may deliver the owner's purchases in the Escrow.
        Intents: Mint, SetPrice, SetPaused, Delist, OfferListing, TakeListing,
        SetOperator.
"""

from ethereum.ercs import IERC20
from snekmate.auth import ownable
from snekmate.tokens import erc721
from snekmate.tokens.interfaces import IERC4906
from snekmate.utils import eip712_domain_separator
from snekmate.utils import pausable
import intents
import IGovernance

initializes: ownable
initializes: erc721[ownable := ownable]
initializes: pausable
initializes: intents[eip712_domain_separator := eip712_domain_separator]

exports: (
    erc721.balanceOf,
    erc721.ownerOf,
    erc721.approve,
    erc721.getApproved,
    erc721.isApprovedForAll,
    erc721.totalSupply,
    erc721.tokenByIndex,
    erc721.tokenOfOwnerByIndex,
    erc721.name,
    erc721.symbol,
    erc721.eip712Domain,
    pausable.paused,
    intents.intentNonces,
)

_SUPPORTED_INTERFACES: constant(bytes4[6]) = [
    0x01FFC9A7, # ERC-165
    0x80AC58CD, # ERC-721
    0x5B5E139F, # ERC-721 metadata
    0x780E9D63, # ERC-721 enumerable
    0x49064906, # EIP-4906 metadata update
    0x2A55205A, # EIP-2981 royalties
]

# The QA attestation: the same typed data on the chain and the embedded ledger.
_QA_DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,string version)")
_QA_TYPEHASH: constant(bytes32) = keccak256(
    "QAAttestation(string manifestCid,string reportCid,bytes32 reportHash,uint256 score,bool passed)"
)
# hashStruct(EIP712Domain{name: "Lightbox QA", version: "1"}), fixed at construction.
QA_DOMAIN_SEPARATOR: public(immutable(bytes32))

_TERMS_TYPEHASH: constant(bytes32) = keccak256("Terms(string template,string spdx,bool commercialUse,bool aiTraining,bool derivatives,bool redistribution,bool attribution,uint256 seats,uint256 durationDays,string territory)")
_MINT_TYPEHASH: constant(bytes32) = keccak256(
    "Mint(address account,uint256 nonce,uint256 deadline,string contentRoot,string manifestCid,string reportCid,bytes32 reportHash,uint256 score,bool passed,address qaSigner,bytes attestation,Terms terms,uint256 price,uint256 royaltyBps)Terms(string template,string spdx,bool commercialUse,bool aiTraining,bool derivatives,bool redistribution,bool attribution,uint256 seats,uint256 durationDays,string territory)"
)
_SET_PRICE_TYPEHASH: constant(bytes32) = keccak256("SetPrice(address account,uint256 nonce,uint256 deadline,uint256 listingId,uint256 price)")
_SET_PAUSED_TYPEHASH: constant(bytes32) = keccak256("SetPaused(address account,uint256 nonce,uint256 deadline,uint256 listingId,bool paused)")
_DELIST_TYPEHASH: constant(bytes32) = keccak256("Delist(address account,uint256 nonce,uint256 deadline,uint256 listingId)")
_OFFER_TYPEHASH: constant(bytes32) = keccak256("OfferListing(address account,uint256 nonce,uint256 deadline,uint256 listingId,address to,uint256 price)")
_TAKE_TYPEHASH: constant(bytes32) = keccak256("TakeListing(address account,uint256 nonce,uint256 deadline,uint256 listingId,uint256 price)")
_SET_OPERATOR_TYPEHASH: constant(bytes32) = keccak256("SetOperator(address account,uint256 nonce,uint256 deadline,address operator,bool active)")

# hashStruct(Terms) of the open licences the embedded ledger knows: terms that
# name an SPDX id must be exactly that licence's terms.
_CC_BY_4_0: constant(bytes32) = 0xb739710f8cebbfe22c83ac838a0f06d14df2bbec083c9beda22bad35d674ddac
_CC0_1_0: constant(bytes32) = 0xc47086ba99e97af6d17f6b5e00c09f978ce2edb8bfccdd43e1af4c0c08b0afef
_CDLA_PERMISSIVE_2_0: constant(bytes32) = 0xb38dd3e1632cf2287c2338b4c496841abc49e0563ca1ea63771c1740ae0df51b

# Prices are packed into 96 bits (79,228,162,514 tokens of 18 decimals).
MAX_PRICE: public(constant(uint256)) = 2**96 - 1

struct Terms:
    template: String[128]
    spdx: String[64]
    commercialUse: bool
    aiTraining: bool
    derivatives: bool
    redistribution: bool
    attribution: bool
    seats: uint256
    durationDays: uint256
    territory: String[256]

struct MintRequest:
    contentRoot: String[256]
    manifestCid: String[128]
    reportCid: String[128]
    reportHash: bytes32
    score: uint256
    passed: bool
    qaSigner: address
    attestation: Bytes[65]
    terms: Terms
    price: uint256
    royaltyBps: uint256

event ListingMinted:
    listingId: indexed(uint256)
    creator: indexed(address)
    qaSigner: indexed(address)
    termsHash: bytes32
    price: uint256
    royaltyBps: uint256
    score: uint256
    reportHash: bytes32
    contentRoot: String[256]
    manifestCid: String[128]
    reportCid: String[128]

# ERC-1497: what a dispute over a purchase of this listing is judged against
# (the manifest: the files and hashes the listing promises).
event MetaEvidence:
    _metaEvidenceID: indexed(uint256)
    _evidence: String[135]

event PriceChanged:
    listingId: indexed(uint256)
    price: uint256

event ListingPaused:
    listingId: indexed(uint256)
    paused: bool

event ListingDelisted:
    listingId: indexed(uint256)

event ListingOffered:
    listingId: indexed(uint256)
    to: indexed(address)
    price: uint256

event ListingTransferred:
    listingId: indexed(uint256)
    sender: indexed(address)
    receiver: indexed(address)
    price: uint256
    royalty: uint256
    creator: address

GOVERNANCE: public(immutable(IGovernance))
PAYMENT_TOKEN: public(immutable(IERC20))

# price (bits 0-95) | royalty bps (96-109) | paused (110) | delisted (111)
# | offered (112) | licence duration in days (113-144) | an offer's price above
# 2^96 (145-176): with the owner and the terms hash, all a purchase reads.
_info: HashMap[uint256, uint256]
# The creator, recorded only when the token first leaves the creator (zero:
# the owner is still the creator): a mint writes one slot fewer.
_creator: HashMap[uint256, address]
# An offer: the account it is for (bits 0-159; zero: anyone) | its price's low
# 96 bits (160-255).
_offers: HashMap[uint256, uint256]
_terms_hash: HashMap[uint256, bytes32]
# A manifest CID that is a base32 CIDv1 of a sha2-256 digest ("b" + 58
# characters: version 1, a one-byte codec, the multihash) is kept as its digest,
# one word, with the codec in `_info` (bits 177-184) and bit 185 set; any other
# CID as snekmate's token URI string (a length word and a word per 32 bytes).
_cid_digests: HashMap[uint256, bytes32]
# keccak256(manifest CID) -> the listing (not delisted) that holds it
_manifests: HashMap[bytes32, uint256]

_ROYALTY_SHIFT: constant(uint256) = 96
_PAUSED: constant(uint256) = 1 << 110
_DELISTED: constant(uint256) = 1 << 111
_OFFERED: constant(uint256) = 1 << 112
_DAYS_SHIFT: constant(uint256) = 113
_CODEC_SHIFT: constant(uint256) = 177
_CID_BINARY: constant(uint256) = 1 << 185
# A CIDv1 header without its codec: version 0x01, (codec), sha2-256 0x12, 32 bytes 0x20.
_CID_HEADER: constant(uint256) = 16_781_856
_OFFER_HIGH_SHIFT: constant(uint256) = 145
_OFFER_HIGH: constant(uint256) = (2**32 - 1) << 145
_ADDRESS_MASK: constant(uint256) = 2**160 - 1


@deploy
def __init__(governance: IGovernance, payment_token: IERC20):
    ownable.__init__()
    erc721.__init__("Lightbox Listing", "LBXL", "ipfs://", "Lightbox", "1")
    pausable.__init__()
    intents.__init__()
    GOVERNANCE = governance
    PAYMENT_TOKEN = payment_token
    QA_DOMAIN_SEPARATOR = keccak256(abi_encode(_QA_DOMAIN_TYPEHASH, keccak256("Lightbox QA"), keccak256("1")))


# ---------------------------------------------------------------- views

@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    return interface_id in _SUPPORTED_INTERFACES


@external
@view
def royaltyInfo(token_id: uint256, sale_price: uint256) -> (address, uint256):
    """
    @notice EIP-2981: the creator, and the royalty on `sale_price`.
    """
    return (self._creator_of(token_id), self._share(sale_price, (self._info[token_id] >> _ROYALTY_SHIFT) & 16383))


@external
@view
def listing(listing_id: uint256) -> (address, address, uint256, bool, bool, bytes32, uint256, uint256):
    """
    @return owner, creator, price, paused, delisted, terms hash, royalty bps, licence days
    """
    info: uint256 = self._info[listing_id]
    return (
        erc721._owners[listing_id],
        self._creator_of(listing_id),
        info & MAX_PRICE,
        info & _PAUSED != 0,
        info & _DELISTED != 0,
        self._terms_hash[listing_id],
        (info >> _ROYALTY_SHIFT) & 16383,
        (info >> _DAYS_SHIFT) & (2**32 - 1),
    )


@external
@view
def offer(listing_id: uint256) -> (bool, address, uint256):
    """
    @return whether the listing is offered, to whom (zero: anyone), at what price
    """
    info: uint256 = self._info[listing_id]
    offer: uint256 = self._offers[listing_id]
    return (info & _OFFERED != 0, convert(offer & _ADDRESS_MASK, address), self._offer_price(info, offer))


@external
@view
def tokenURI(token_id: uint256) -> String[512]:
    """
    @notice "ipfs://" + the manifest CID (snekmate's tokenURI, reading a CID
            kept as its digest too).
    """
    erc721._require_minted(token_id)
    return concat("ipfs://", self._manifest_cid(token_id))


@external
@view
def listingOfManifest(manifest_cid: String[128]) -> uint256:
    return self._manifests[keccak256(manifest_cid)]


@external
@view
def saleInfo(listing_id: uint256) -> (address, uint256, bytes32, uint256):
    """
    @notice What the Escrow needs to sell a licence: the owner (zero: no such
            listing), the price, the terms hash and the packed info word.
    """
    info: uint256 = self._info[listing_id]
    return (erc721._owners[listing_id], info & MAX_PRICE, self._terms_hash[listing_id], info)


# ---------------------------------------------------------------- emergency pause (governance)

@external
def pause():
    """
    @notice Stops minting, offers and sales of listing tokens (not purchases' escrows).
    """
    self._require_governance()
    pausable._pause()


@external
def unpause():
    self._require_governance()
    pausable._unpause()


# ---------------------------------------------------------------- Mint

@external
def mint(request: MintRequest) -> uint256:
    pausable._require_not_paused()
    return self._mint(msg.sender, request)


@external
def mintBySig(account: address, nonce: uint256, deadline: uint256, request: MintRequest, r: bytes32, vs: bytes32) -> uint256:
    pausable._require_not_paused()
    terms_hash: bytes32 = self._hash_terms(request.terms)
    intents._consume(account, nonce, deadline, keccak256(abi_encode(
        _MINT_TYPEHASH, account, nonce, deadline,
        keccak256(request.contentRoot), keccak256(request.manifestCid), keccak256(request.reportCid),
        request.reportHash, request.score, request.passed, request.qaSigner, keccak256(request.attestation),
        terms_hash, request.price, request.royaltyBps,
    )), r, vs)
    return self._mint(account, request)


@internal
def _mint(actor: address, r: MintRequest) -> uint256:
    assert r.royaltyBps <= 10_000, "invalidIntent: royaltyBps must be basis points from 0 to 10000"
    assert r.terms.seats < 2**64 and r.terms.durationDays < 2**64, "invalidIntent: seats and durationDays must be below 2^64"
    assert staticcall GOVERNANCE.isQASigner(r.qaSigner), "invalidAttestation: the attestation's signer is not an authorised QA signer"
    qa_hash: bytes32 = keccak256(abi_encode(
        _QA_TYPEHASH, keccak256(r.manifestCid), keccak256(r.reportCid), r.reportHash, r.score, r.passed
    ))
    digest: bytes32 = keccak256(concat(b"\x19\x01", QA_DOMAIN_SEPARATOR, qa_hash))
    assert r.score <= 100 and intents._recover(digest, r.attestation) == r.qaSigner, "invalidAttestation: the signature does not verify for this manifest, report, score and verdict"
    assert r.passed, "invalidAttestation: the quality report failed"
    assert len(r.contentRoot) != 0 and len(r.manifestCid) != 0 and len(r.reportCid) != 0, "invalidArgument: a listing needs its content root, manifest and report CIDs"
    terms_hash: bytes32 = self._validate_terms(r.terms)
    manifest_key: bytes32 = keccak256(r.manifestCid)
    assert self._manifests[manifest_key] == 0, "invalidState: the dataset with this manifest is already listed"
    self._require_price(r.price)
    assert r.terms.durationDays < 2**32, "invalidArgument: a licence on this chain runs at most 2^32-1 days"

    listing_id: uint256 = erc721._total_supply() + 1
    info: uint256 = r.price | (r.royaltyBps << _ROYALTY_SHIFT) | (r.terms.durationDays << _DAYS_SHIFT)
    binary: bool = False
    codec: uint256 = 0
    cid_digest: bytes32 = empty(bytes32)
    binary, codec, cid_digest = self._cid_digest(r.manifestCid)
    if binary:
        info |= _CID_BINARY | (codec << _CODEC_SHIFT)
        self._cid_digests[listing_id] = cid_digest
    self._info[listing_id] = info
    self._terms_hash[listing_id] = terms_hash
    self._manifests[manifest_key] = listing_id
    erc721._mint(actor, listing_id)
    if binary:
        log IERC4906.MetadataUpdate(_tokenId=listing_id)
    else:
        erc721._set_token_uri(listing_id, r.manifestCid)
    log ListingMinted(
        listingId=listing_id, creator=actor, qaSigner=r.qaSigner, termsHash=terms_hash, price=r.price,
        royaltyBps=r.royaltyBps, score=r.score, reportHash=r.reportHash, contentRoot=r.contentRoot,
        manifestCid=r.manifestCid, reportCid=r.reportCid,
    )
    log MetaEvidence(_metaEvidenceID=listing_id, _evidence=concat("ipfs://", r.manifestCid))
    return listing_id


@internal
@pure
def _hash_terms(t: Terms) -> bytes32:
    return keccak256(abi_encode(
        _TERMS_TYPEHASH, keccak256(t.template), keccak256(t.spdx), t.commercialUse, t.aiTraining, t.derivatives,
        t.redistribution, t.attribution, t.seats, t.durationDays, keccak256(t.territory),
    ))


@internal
@pure
def _validate_terms(t: Terms) -> bytes32:
    assert len(t.template) != 0 and len(t.template) <= 64, "invalidArgument: licence terms need a template name of 1 to 64 characters"
    terms_hash: bytes32 = self._hash_terms(t)
    if len(t.spdx) != 0:
        assert terms_hash in [_CC_BY_4_0, _CC0_1_0, _CDLA_PERMISSIVE_2_0], "invalidArgument: terms that name an SPDX id must be exactly that open licence's terms"
    assert len(t.territory) != 0 and len(t.territory) <= 200, "invalidArgument: licence terms need a territory (worldwide, or country codes)"
    return terms_hash


# ---------------------------------------------------------------- SetPrice, SetPaused, Delist

@external
def setPrice(listing_id: uint256, price: uint256):
    self._set_price(msg.sender, listing_id, price)


@external
def setPriceBySig(account: address, nonce: uint256, deadline: uint256, listing_id: uint256, price: uint256, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SET_PRICE_TYPEHASH, account, nonce, deadline, listing_id, price)), r, vs)
    self._set_price(account, listing_id, price)


@internal
def _set_price(actor: address, listing_id: uint256, price: uint256):
    info: uint256 = self._listed(actor, listing_id)
    self._require_price(price)
    self._info[listing_id] = (info & ~MAX_PRICE) | price
    log PriceChanged(listingId=listing_id, price=price)


@external
def setPaused(listing_id: uint256, paused: bool):
    self._set_paused(msg.sender, listing_id, paused)


@external
def setPausedBySig(account: address, nonce: uint256, deadline: uint256, listing_id: uint256, paused: bool, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SET_PAUSED_TYPEHASH, account, nonce, deadline, listing_id, paused)), r, vs)
    self._set_paused(account, listing_id, paused)


@internal
def _set_paused(actor: address, listing_id: uint256, paused: bool):
    info: uint256 = self._listed(actor, listing_id)
    if paused:
        info |= _PAUSED
    else:
        info &= ~_PAUSED
    self._info[listing_id] = info
    log ListingPaused(listingId=listing_id, paused=paused)


@external
def delist(listing_id: uint256):
    self._delist(msg.sender, listing_id)


@external
def delistBySig(account: address, nonce: uint256, deadline: uint256, listing_id: uint256, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_DELIST_TYPEHASH, account, nonce, deadline, listing_id)), r, vs)
    self._delist(account, listing_id)


@internal
def _delist(actor: address, listing_id: uint256):
    info: uint256 = self._owned_listing(actor, listing_id)
    assert info & _DELISTED == 0, "invalidState: the listing is already delisted"
    self._info[listing_id] = (info | _DELISTED) & ~_OFFERED
    # The manifest may be listed again.
    self._manifests[keccak256(self._manifest_cid(listing_id))] = 0
    log ListingDelisted(listingId=listing_id)


# ---------------------------------------------------------------- OfferListing, TakeListing

@external
def offerListing(listing_id: uint256, to: address, price: uint256):
    pausable._require_not_paused()
    self._offer(msg.sender, listing_id, to, price)


@external
def offerListingBySig(account: address, nonce: uint256, deadline: uint256, listing_id: uint256, to: address, price: uint256, r: bytes32, vs: bytes32):
    pausable._require_not_paused()
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_OFFER_TYPEHASH, account, nonce, deadline, listing_id, to, price)), r, vs)
    self._offer(account, listing_id, to, price)


@internal
def _offer(actor: address, listing_id: uint256, to: address, price: uint256):
    assert price < 2**128, "invalidIntent: price must be below 2^128"
    info: uint256 = self._listed(actor, listing_id)
    assert to != actor, "invalidArgument: an owner cannot offer a listing to itself"
    self._info[listing_id] = (info & ~_OFFER_HIGH) | _OFFERED | ((price >> 96) << _OFFER_HIGH_SHIFT)
    self._offers[listing_id] = convert(to, uint256) | ((price & MAX_PRICE) << 160)
    log ListingOffered(listingId=listing_id, to=to, price=price)


@external
@nonreentrant
def takeListing(listing_id: uint256, price: uint256):
    pausable._require_not_paused()
    self._take(msg.sender, listing_id, price)


@external
@nonreentrant
def takeListingBySig(account: address, nonce: uint256, deadline: uint256, listing_id: uint256, price: uint256, r: bytes32, vs: bytes32):
    pausable._require_not_paused()
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_TAKE_TYPEHASH, account, nonce, deadline, listing_id, price)), r, vs)
    self._take(account, listing_id, price)


@internal
def _take(actor: address, listing_id: uint256, price: uint256):
    owner: address = self._listing_owner(listing_id)
    info: uint256 = self._info[listing_id]
    assert info & _OFFERED != 0 and info & _DELISTED == 0, "invalidState: the listing is not offered"
    offer: uint256 = self._offers[listing_id]
    to: address = convert(offer & _ADDRESS_MASK, address)
    assert to == empty(address) or to == actor, "unauthorised: the listing is offered to another account"
    assert actor != owner, "invalidArgument: the owner already holds the listing"
    assert price == self._offer_price(info, offer), "invalidState: the listing is offered at another price; sign again"
    creator: address = self._creator[listing_id]
    if creator == empty(address):
        creator = owner
        self._creator[listing_id] = owner
    royalty: uint256 = self._share(price, (info >> _ROYALTY_SHIFT) & 16383)
    self._info[listing_id] = info & ~(_OFFERED | _OFFER_HIGH)
    self._offers[listing_id] = 0
    erc721._transfer(owner, actor, listing_id)
    # EIP-2981: the royalty to the creator, the rest to the owner.
    self._pull(actor, creator, royalty)
    self._pull(actor, owner, price - royalty)
    log ListingTransferred(listingId=listing_id, sender=owner, receiver=actor, price=price, royalty=royalty, creator=creator)


# ---------------------------------------------------------------- SetOperator (ERC-721 setApprovalForAll)

@external
def setApprovalForAll(operator: address, approved: bool):
    self._set_operator(msg.sender, operator, approved)


@external
def setOperatorBySig(account: address, nonce: uint256, deadline: uint256, operator: address, active: bool, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SET_OPERATOR_TYPEHASH, account, nonce, deadline, operator, active)), r, vs)
    self._set_operator(account, operator, active)


@internal
def _set_operator(actor: address, operator: address, active: bool):
    assert operator != actor, "invalidArgument: an account is always its own operator"
    erc721._set_approval_for_all(actor, operator, active)


# ---------------------------------------------------------------- ERC-721 transfers (an open offer ends)

@external
@payable
def transferFrom(owner: address, to: address, token_id: uint256):
    self._end_offer(token_id)
    erc721._transfer(owner, to, token_id)


@external
@payable
def safeTransferFrom(owner: address, to: address, token_id: uint256, data: Bytes[1_024] = b""):
    self._end_offer(token_id)
    erc721._safe_transfer(owner, to, token_id, data)


# ---------------------------------------------------------------- helpers

@internal
def _end_offer(listing_id: uint256):
    assert erc721._is_approved_or_owner(msg.sender, listing_id), "unauthorised: the caller is neither the listing's owner nor approved"
    if self._creator[listing_id] == empty(address):
        # The token leaves its creator for the first time.
        self._creator[listing_id] = erc721._owners[listing_id]
    info: uint256 = self._info[listing_id]
    if info & _OFFERED != 0:
        self._info[listing_id] = info & ~(_OFFERED | _OFFER_HIGH)
        self._offers[listing_id] = 0


@internal
@view
def _manifest_cid(listing_id: uint256) -> String[432]:
    info: uint256 = self._info[listing_id]
    if info & _CID_BINARY == 0:
        return erc721._token_uris[listing_id]
    return self._cid_string((info >> _CODEC_SHIFT) & 255, self._cid_digests[listing_id])


@internal
@pure
def _cid_digest(cid: String[128]) -> (bool, uint256, bytes32):
    """
    @dev Whether `cid` is a canonical base32 CIDv1 (lowercase, zero padding
         bits) of a one-byte codec and a sha2-256 multihash, its codec and its
         digest. The 290 bits of the 58 characters after "b": 32 of header
         (0x01, codec, 0x12, 0x20), 256 of digest, 2 of padding.
    """
    if len(cid) != 59:
        return False, 0, empty(bytes32)
    b: Bytes[160] = concat(convert(cid, Bytes[128]), empty(bytes32))
    w: uint256 = extract32(b, 0, output_type=uint256)
    if w >> 248 != 98:
        return False, 0, empty(bytes32)
    w = w << 8
    hi: uint256 = 0
    lo: uint256 = 0
    for i: uint256 in range(58):
        if i == 31:
            w = extract32(b, 32, output_type=uint256)
        c: uint256 = w >> 248
        w = w << 8
        # "a"-"z" are 0-25, "2"-"7" 26-31, anything else is not base32.
        v: uint256 = unsafe_sub(c, 97)
        if v >= 26:
            v = unsafe_sub(c, 24)
            if v < 26 or v > 31:
                return False, 0, empty(bytes32)
        if i < 7:
            hi = (hi << 5) | v
        else:
            lo = (lo << 5) | v
    header: uint256 = hi >> 3
    codec: uint256 = (header >> 16) & 255
    if lo & 3 != 0 or header & 4278255615 != _CID_HEADER or codec >= 128:
        return False, 0, empty(bytes32)
    return True, codec, convert(((hi & 7) << 253) | (lo >> 2), bytes32)


@internal
@pure
def _cid_string(codec: uint256, digest: bytes32) -> String[59]:
    # The inverse of _cid_digest: 7 characters from the header and the digest's
    # top 3 bits, 51 from its other 253 bits and 2 zero bits.
    d: uint256 = convert(digest, uint256)
    x: uint256 = (((_CID_HEADER | (codec << 16)) << 3) | (d >> 253)) << 221
    w0: uint256 = 98
    w1: uint256 = 0
    for i: uint256 in range(58):
        if i == 7:
            x = d << 3
        v: uint256 = x >> 251
        x = x << 5
        c: uint256 = unsafe_add(v, 97)
        if v >= 26:
            c = unsafe_add(v, 24)
        if i < 31:
            w0 = (w0 << 8) | c
        else:
            w1 = (w1 << 8) | c
    return convert(slice(concat(convert(w0, bytes32), convert(w1 << 40, bytes32)), 0, 59), String[59])


@internal
@pure
def _require_price(price: uint256):
    assert price <= MAX_PRICE, "invalidArgument: a price on this chain is at most 2^96-1 units"


@internal
@view
def _listing_owner(listing_id: uint256) -> address:
    owner: address = erc721._owners[listing_id]
    assert owner != empty(address), "unknown: there is no such listing"
    return owner


@internal
@view
def _creator_of(listing_id: uint256) -> address:
    creator: address = self._creator[listing_id]
    if creator == empty(address):
        return erc721._owners[listing_id]
    return creator


@internal
@view
def _require_governance():
    assert msg.sender == staticcall GOVERNANCE.owner(), "unauthorised: only governance (the owner) may pause or unpause"


@internal
@view
def _owned_listing(actor: address, listing_id: uint256) -> uint256:
    owner: address = self._listing_owner(listing_id)
    assert owner == actor, "unauthorised: only the listing's owner may do this"
    return self._info[listing_id]


@internal
@view
def _listed(actor: address, listing_id: uint256) -> uint256:
    info: uint256 = self._owned_listing(actor, listing_id)
    assert info & _DELISTED == 0, "invalidState: the listing is delisted"
    return info


@internal
@pure
def _offer_price(info: uint256, offer: uint256) -> uint256:
    return (((info & _OFFER_HIGH) >> _OFFER_HIGH_SHIFT) << 96) | (offer >> 160)


@internal
@pure
def _share(amount: uint256, bps: uint256) -> uint256:
    # The embedded ledger's rounding: floor(amount * bps / 10000), without overflow.
    return (amount // 10_000) * bps + (amount % 10_000) * bps // 10_000


@internal
def _pull(sender: address, receiver: address, amount: uint256):
    if amount == 0:
        return
    ok: bool = False
    response: Bytes[32] = b""
    ok, response = raw_call(
        PAYMENT_TOKEN.address,
        abi_encode(sender, receiver, amount, method_id=method_id("transferFrom(address,address,uint256)")),
        max_outsize=32,
        revert_on_failure=False,
    )
    assert ok and (len(response) == 0 or convert(response, bool)), "insufficientFunds: the buyer's balance or allowance does not cover the price"
