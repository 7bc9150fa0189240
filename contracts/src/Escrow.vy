# pragma version 0.4.3
# pragma evm-version cancun
"""
@title Lightbox Escrow (with the Licences it issues)
@notice A purchase locks the listing's price in the payment token and issues a
        licence (same id); the seller (or an operator it approved in the
        DatasetRegistry) delivers the content key sealed to the buyer's key; the
        buyer accepts, or anyone releases after the acceptance deadline; the
        buyer reclaims when nothing was delivered in time; either side may open
        a dispute (depositing the arbitration fee) until release, both submit
        ERC-1497 evidence during the evidence period, and the arbiter assigned
        at opening rules the buyer's share in basis points. The seller's part
        pays the platform fee (rate fixed at purchase) to the treasury; a full
        refund revokes the licence. Licences are records here, not tokens: they
        cannot be transferred (see README for the gas reasons).
        Intents: Purchase, Deliver, Accept, Release, Reclaim, OpenDispute,
        SubmitEvidence, Rule.
"""

from ethereum.ercs import IERC20
from snekmate.utils import eip712_domain_separator
import intents
import IGovernance
import IDatasetRegistry

initializes: eip712_domain_separator
initializes: intents[eip712_domain_separator := eip712_domain_separator]

exports: (
    eip712_domain_separator.eip712Domain,
    intents.intentNonces,
)

_PURCHASE_TYPEHASH: constant(bytes32) = keccak256("Purchase(address account,uint256 nonce,uint256 deadline,uint256 listingId,uint256 price,bytes32 termsHash,bytes32 buyerKey)")
_DELIVER_TYPEHASH: constant(bytes32) = keccak256("Deliver(address account,uint256 nonce,uint256 deadline,uint256 purchaseId,bytes sealedKey)")
_ACCEPT_TYPEHASH: constant(bytes32) = keccak256("Accept(address account,uint256 nonce,uint256 deadline,uint256 purchaseId)")
_RELEASE_TYPEHASH: constant(bytes32) = keccak256("Release(address account,uint256 nonce,uint256 deadline,uint256 purchaseId)")
_RECLAIM_TYPEHASH: constant(bytes32) = keccak256("Reclaim(address account,uint256 nonce,uint256 deadline,uint256 purchaseId)")
_OPEN_DISPUTE_TYPEHASH: constant(bytes32) = keccak256("OpenDispute(address account,uint256 nonce,uint256 deadline,uint256 purchaseId,string evidenceCid)")
_SUBMIT_EVIDENCE_TYPEHASH: constant(bytes32) = keccak256("SubmitEvidence(address account,uint256 nonce,uint256 deadline,uint256 purchaseId,string evidenceCid)")
_RULE_TYPEHASH: constant(bytes32) = keccak256("Rule(address account,uint256 nonce,uint256 deadline,uint256 purchaseId,uint256 buyerBps)")

# Escrow states (the embedded ledger's EscrowState).
AWAITING_DELIVERY: constant(uint256) = 1
DELIVERED: constant(uint256) = 2
DISPUTED: constant(uint256) = 3
RELEASED: constant(uint256) = 4
REFUNDED: constant(uint256) = 5
SPLIT: constant(uint256) = 6

# Licence status.
LICENCE_NONE: constant(uint256) = 0
LICENCE_ACTIVE: constant(uint256) = 1
LICENCE_EXPIRED: constant(uint256) = 2
LICENCE_REVOKED: constant(uint256) = 3

_ADDRESS_MASK: constant(uint256) = 2**160 - 1
_COUNT_MASK: constant(uint256) = 2**64 - 1
_FEE_SHIFT: constant(uint256) = 64
_PAUSED_BIT: constant(uint256) = 1 << 78
_PRICE_MASK: constant(uint256) = 2**96 - 1
_DEADLINE_MASK: constant(uint256) = 2**40 - 1
_BUYER_EVIDENCE: constant(uint256) = 1 << 249
_SELLER_EVIDENCE: constant(uint256) = 1 << 250

# The emergency stop's events, as snekmate's pausable logs them.
event Paused:
    account: address

event Unpaused:
    account: address

event Purchased:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    buyer: indexed(address)
    seller: address
    price: uint256
    deliveryDeadline: uint256
    buyerKey: bytes32

event LicenceIssued:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    licensee: indexed(address)
    termsHash: bytes32
    expiresAt: uint256

event Delivered:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    acceptanceDeadline: uint256
    sealedKey: Bytes[1024]

event Accepted:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)

event EscrowReleased:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    seller: indexed(address)
    amount: uint256
    fee: uint256
    treasury: address

event EscrowRefunded:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    buyer: indexed(address)
    amount: uint256

event EscrowSplit:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    buyer: indexed(address)
    buyerAmount: uint256
    seller: address
    sellerAmount: uint256
    fee: uint256
    treasury: address

event LicenceRevoked:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    licensee: indexed(address)

event DisputeOpened:
    purchaseId: indexed(uint256)
    listingId: indexed(uint256)
    by: indexed(address)
    arbiter: address
    evidenceDeadline: uint256
    fee: uint256

# ERC-792 (the escrow is both arbitrable and, through its assigned arbiters,
# the arbitrator): the dispute is the purchase, its meta-evidence the listing's
# (DatasetRegistry.MetaEvidence), its evidence group the purchase.
event Dispute:
    _arbitrator: indexed(address)
    _disputeID: indexed(uint256)
    _metaEvidenceID: uint256
    _evidenceGroupID: uint256

# ERC-1497
event Evidence:
    _arbitrator: indexed(address)
    _evidenceGroupID: indexed(uint256)
    _party: indexed(address)
    _evidence: String[263]

# ERC-792: the ruling is the buyer's share in basis points.
event Ruling:
    _arbitrator: indexed(address)
    _disputeID: indexed(uint256)
    _ruling: uint256

GOVERNANCE: public(immutable(IGovernance))
REGISTRY: public(immutable(IDatasetRegistry))
PAYMENT_TOKEN: public(immutable(IERC20))
arbitrationFee: public(immutable(uint256))
deliveryPeriod: public(immutable(uint256))
acceptancePeriod: public(immutable(uint256))
evidencePeriod: public(immutable(uint256))

# One word every purchase reads and writes: purchases so far (bits 0-63) | the
# platform fee in basis points, as Governance last set it (64-77) | paused
# (78). Governance pushes the fee here when it changes (`syncPlatformFee`), so
# a purchase reads neither Governance nor a separate pause flag.
_counter: uint256
disputesOpened: public(uint256)
# buyer (bits 0-159) | price (160-255)
_p1: HashMap[uint256, uint256]
# seller (0-159) | listing (160-191) | deadline (192-231: delivery, acceptance or
# evidence deadline by state) | fee bps (232-245) | state (246-248)
# | buyer gave evidence (249) | seller gave evidence (250)
_p2: HashMap[uint256, uint256]
# The assigned arbiter of a disputed purchase.
_arbiter: HashMap[uint256, address]
# buyer -> listing -> latest purchase id (bits 0-63) | licence end (64-127; 0: perpetual)
_licences: HashMap[address, HashMap[uint256, uint256]]


@deploy
def __init__(
    governance: IGovernance, registry: IDatasetRegistry, payment_token: IERC20, arbitration_fee: uint256,
    delivery_period: uint256, acceptance_period: uint256, evidence_period: uint256,
):
    eip712_domain_separator.__init__("Lightbox", "1")
    intents.__init__()
    assert delivery_period < 2**32 and acceptance_period < 2**32 and evidence_period < 2**32, "invalidArgument: periods are below 2^32 seconds"
    GOVERNANCE = governance
    REGISTRY = registry
    PAYMENT_TOKEN = payment_token
    arbitrationFee = arbitration_fee
    deliveryPeriod = delivery_period
    acceptancePeriod = acceptance_period
    evidencePeriod = evidence_period
    self._counter = ((staticcall governance.feeAndTreasury()) >> 160) << _FEE_SHIFT


# ---------------------------------------------------------------- views

@external
@view
def purchases(purchase_id: uint256) -> (uint256, address, address, uint256, uint256, uint256, uint256, address):
    """
    @return listing, buyer, seller, price, state (1 awaitingDelivery .. 6 split),
            fee bps, the deadline of the state, the arbiter (when disputed)
    """
    p1: uint256 = self._p1[purchase_id]
    p2: uint256 = self._p2[purchase_id]
    return (
        (p2 >> 160) & (2**32 - 1),
        convert(p1 & _ADDRESS_MASK, address),
        convert(p2 & _ADDRESS_MASK, address),
        p1 >> 160,
        (p2 >> 246) & 7,
        (p2 >> 232) & 16383,
        (p2 >> 192) & _DEADLINE_MASK,
        self._arbiter[purchase_id],
    )


@external
@view
def purchaseListing(purchase_id: uint256) -> uint256:
    return (self._p2[purchase_id] >> 160) & (2**32 - 1)


@external
@view
def escrowState(purchase_id: uint256) -> uint256:
    return (self._p2[purchase_id] >> 246) & 7


@external
@view
def licenceStatus(purchase_id: uint256) -> uint256:
    """
    @return 0 none, 1 active, 2 expired, 3 revoked
    """
    return self._licence_status(purchase_id)


@external
@view
def hasActiveLicence(buyer: address, listing_id: uint256) -> bool:
    latest: uint256 = self._licences[buyer][listing_id]
    return latest != 0 and self._licence_status(latest & (2**64 - 1)) == LICENCE_ACTIVE


@external
@view
def licenceExpiresAt(purchase_id: uint256) -> uint256:
    p1: uint256 = self._p1[purchase_id]
    latest: uint256 = self._licences[convert(p1 & _ADDRESS_MASK, address)][(self._p2[purchase_id] >> 160) & (2**32 - 1)]
    if latest & (2**64 - 1) != purchase_id:
        return 0
    return latest >> 64


@internal
@view
def _licence_status(purchase_id: uint256) -> uint256:
    p1: uint256 = self._p1[purchase_id]
    if p1 == 0:
        return LICENCE_NONE
    p2: uint256 = self._p2[purchase_id]
    if (p2 >> 246) & 7 == REFUNDED:
        return LICENCE_REVOKED
    latest: uint256 = self._licences[convert(p1 & _ADDRESS_MASK, address)][(p2 >> 160) & (2**32 - 1)]
    # A buyer buys a listing again only once its earlier licence has ended: one
    # that was replaced and not revoked has expired.
    if latest & (2**64 - 1) != purchase_id:
        return LICENCE_EXPIRED
    ends: uint256 = latest >> 64
    if ends != 0 and block.timestamp >= ends:
        return LICENCE_EXPIRED
    return LICENCE_ACTIVE


@external
@view
def purchaseCount() -> uint256:
    return self._counter & _COUNT_MASK


@external
@view
def platformFeeBps() -> uint256:
    """
    @notice The platform fee a purchase captures now (Governance's, pushed here).
    """
    return (self._counter >> _FEE_SHIFT) & 16383


@external
@view
def paused() -> bool:
    return self._counter & _PAUSED_BIT != 0


# ---------------------------------------------------------------- platform fee (pushed by Governance)

@external
def syncPlatformFee(fee_bps: uint256):
    """
    @notice Governance calls this whenever its platform fee changes (and once
            when the escrow is attached to it).
    """
    assert msg.sender == GOVERNANCE.address, "unauthorised: only Governance sets the escrow's platform fee"
    assert fee_bps <= 10_000, "invalidIntent: feeBps must be basis points from 0 to 10000"
    self._counter = (self._counter & ~(16383 << _FEE_SHIFT)) | (fee_bps << _FEE_SHIFT)


# ---------------------------------------------------------------- emergency pause (governance)
# snekmate's pausable keeps its flag in a slot of its own, one more cold read
# (2,100 gas) per purchase; the flag lives in the counter word instead, with
# the same revert reasons and events.

@external
def pause():
    """
    @notice Stops new purchases; every escrow already open can still be paid out.
    """
    assert msg.sender == staticcall GOVERNANCE.owner(), "unauthorised: only governance (the owner) may pause the escrow"
    counter: uint256 = self._counter
    assert counter & _PAUSED_BIT == 0, "pausable: contract is paused"
    self._counter = counter | _PAUSED_BIT
    log Paused(account=msg.sender)


@external
def unpause():
    assert msg.sender == staticcall GOVERNANCE.owner(), "unauthorised: only governance (the owner) may unpause the escrow"
    counter: uint256 = self._counter
    assert counter & _PAUSED_BIT != 0, "pausable: contract is not paused"
    self._counter = counter & ~_PAUSED_BIT
    log Unpaused(account=msg.sender)


# ---------------------------------------------------------------- Purchase

@external
@nonreentrant
def purchase(listing_id: uint256, price: uint256, terms_hash: bytes32, buyer_key: bytes32) -> uint256:
    self._require_not_paused()
    return self._purchase(msg.sender, listing_id, price, terms_hash, buyer_key)


@external
@nonreentrant
def purchaseWithPermit(
    listing_id: uint256, price: uint256, terms_hash: bytes32, buyer_key: bytes32,
    permit_deadline: uint256, v: uint8, r: bytes32, s: bytes32,
) -> uint256:
    """
    @notice EIP-2612: the buyer's permit for the price and the purchase in one
            call. A permit that fails (already used, say) is ignored: the
            allowance decides.
    """
    self._require_not_paused()
    self._permit(msg.sender, price, permit_deadline, v, r, s)
    return self._purchase(msg.sender, listing_id, price, terms_hash, buyer_key)


@external
@nonreentrant
def purchaseBySig(
    account: address, nonce: uint256, deadline: uint256, listing_id: uint256, price: uint256, terms_hash: bytes32,
    buyer_key: bytes32, r: bytes32, vs: bytes32,
) -> uint256:
    self._require_not_paused()
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_PURCHASE_TYPEHASH, account, nonce, deadline, listing_id, price, terms_hash, buyer_key)), r, vs)
    return self._purchase(account, listing_id, price, terms_hash, buyer_key)


@external
@nonreentrant
def purchaseWithPermitBySig(
    account: address, nonce: uint256, deadline: uint256, listing_id: uint256, price: uint256, terms_hash: bytes32,
    buyer_key: bytes32, r: bytes32, vs: bytes32, permit_deadline: uint256, permit_v: uint8, permit_r: bytes32, permit_s: bytes32,
) -> uint256:
    self._require_not_paused()
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_PURCHASE_TYPEHASH, account, nonce, deadline, listing_id, price, terms_hash, buyer_key)), r, vs)
    self._permit(account, price, permit_deadline, permit_v, permit_r, permit_s)
    return self._purchase(account, listing_id, price, terms_hash, buyer_key)


@internal
def _permit(owner: address, amount: uint256, deadline: uint256, v: uint8, r: bytes32, s: bytes32):
    ok: bool = raw_call(
        PAYMENT_TOKEN.address,
        abi_encode(owner, self, amount, deadline, v, r, s, method_id=method_id("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)")),
        revert_on_failure=False,
    )


@internal
def _purchase(buyer: address, listing_id: uint256, price: uint256, terms_hash: bytes32, buyer_key: bytes32) -> uint256:
    assert price < 2**128, "invalidIntent: price must be below 2^128"
    seller: address = empty(address)
    listed_price: uint256 = 0
    listed_terms: bytes32 = empty(bytes32)
    info: uint256 = 0
    seller, listed_price, listed_terms, info = staticcall REGISTRY.saleInfo(listing_id)
    assert seller != empty(address) and listing_id < 2**32, "unknown: there is no such listing"
    assert info & (3 << 110) == 0, "invalidState: the listing is paused or delisted and cannot be bought"
    assert buyer != seller, "invalidArgument: the owner of a listing cannot buy it"
    assert price == listed_price, "invalidState: the listing costs another price; sign again at its price"
    assert terms_hash == listed_terms, "invalidState: the terms signed are not the listing's terms"
    assert buyer_key != empty(bytes32), "invalidArgument: the buyer key must be a 32-byte X25519 public key"
    latest: uint256 = self._licences[buyer][listing_id]
    if latest != 0:
        assert self._licence_status(latest & (2**64 - 1)) != LICENCE_ACTIVE, "invalidState: the buyer already holds an active licence for this listing"
    self._pull(buyer, price, "insufficientFunds: the buyer's balance or allowance does not cover the price")

    counter: uint256 = self._counter
    purchase_id: uint256 = (counter & _COUNT_MASK) + 1
    self._counter = unsafe_add(counter, 1)
    fee_bps: uint256 = (counter >> _FEE_SHIFT) & 16383
    delivery_deadline: uint256 = block.timestamp + deliveryPeriod
    days: uint256 = (info >> 113) & (2**32 - 1)
    expires: uint256 = 0
    if days != 0:
        expires = block.timestamp + days * 86_400
    self._p1[purchase_id] = convert(buyer, uint256) | (price << 160)
    self._p2[purchase_id] = convert(seller, uint256) | (listing_id << 160) | (delivery_deadline << 192) | (fee_bps << 232) | (AWAITING_DELIVERY << 246)
    self._licences[buyer][listing_id] = purchase_id | (expires << 64)
    log Purchased(purchaseId=purchase_id, listingId=listing_id, buyer=buyer, seller=seller, price=price, deliveryDeadline=delivery_deadline, buyerKey=buyer_key)
    log LicenceIssued(purchaseId=purchase_id, listingId=listing_id, licensee=buyer, termsHash=terms_hash, expiresAt=expires)
    return purchase_id


# ---------------------------------------------------------------- Deliver

@external
def deliver(purchase_id: uint256, sealed_key: Bytes[1024]):
    self._deliver(msg.sender, purchase_id, sealed_key)


@external
def deliverBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, sealed_key: Bytes[1024], r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_DELIVER_TYPEHASH, account, nonce, deadline, purchase_id, keccak256(sealed_key))), r, vs)
    self._deliver(account, purchase_id, sealed_key)


@internal
def _deliver(actor: address, purchase_id: uint256, sealed_key: Bytes[1024]):
    p2: uint256 = self._known(purchase_id)
    seller: address = convert(p2 & _ADDRESS_MASK, address)
    if actor != seller:
        assert staticcall REGISTRY.isApprovedForAll(seller, actor), "unauthorised: only the seller or an operator it approved delivers a purchase"
    assert (p2 >> 246) & 7 == AWAITING_DELIVERY, "invalidState: the purchase is not awaiting delivery"
    assert block.timestamp <= (p2 >> 192) & _DEADLINE_MASK, "tooLate: the delivery deadline has passed; the buyer may reclaim the price"
    assert len(sealed_key) != 0, "invalidArgument: a delivery carries the content key sealed to the buyer"
    deadline: uint256 = block.timestamp + acceptancePeriod
    self._p2[purchase_id] = self._with(p2, deadline, DELIVERED)
    log Delivered(purchaseId=purchase_id, listingId=(p2 >> 160) & (2**32 - 1), acceptanceDeadline=deadline, sealedKey=sealed_key)


# ---------------------------------------------------------------- Accept, Release, Reclaim

@external
@nonreentrant
def accept(purchase_id: uint256):
    self._accept(msg.sender, purchase_id)


@external
@nonreentrant
def acceptBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_ACCEPT_TYPEHASH, account, nonce, deadline, purchase_id)), r, vs)
    self._accept(account, purchase_id)


@internal
def _accept(actor: address, purchase_id: uint256):
    p2: uint256 = self._known(purchase_id)
    p1: uint256 = self._p1[purchase_id]
    assert actor == convert(p1 & _ADDRESS_MASK, address), "unauthorised: only the buyer accepts a purchase"
    assert (p2 >> 246) & 7 == DELIVERED, "invalidState: only a delivered purchase can be accepted"
    log Accepted(purchaseId=purchase_id, listingId=(p2 >> 160) & (2**32 - 1))
    self._pay_out(purchase_id, p1, p2, 0)


@external
@nonreentrant
def release(purchase_id: uint256):
    self._release(purchase_id)


@external
@nonreentrant
def releaseBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_RELEASE_TYPEHASH, account, nonce, deadline, purchase_id)), r, vs)
    self._release(purchase_id)


@internal
def _release(purchase_id: uint256):
    p2: uint256 = self._known(purchase_id)
    assert (p2 >> 246) & 7 == DELIVERED, "invalidState: only a delivered, undisputed purchase is released"
    assert block.timestamp > (p2 >> 192) & _DEADLINE_MASK, "tooEarly: the purchase can be released after its acceptance deadline"
    self._pay_out(purchase_id, self._p1[purchase_id], p2, 0)


@external
@nonreentrant
def reclaim(purchase_id: uint256):
    self._reclaim(msg.sender, purchase_id)


@external
@nonreentrant
def reclaimBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_RECLAIM_TYPEHASH, account, nonce, deadline, purchase_id)), r, vs)
    self._reclaim(account, purchase_id)


@internal
def _reclaim(actor: address, purchase_id: uint256):
    p2: uint256 = self._known(purchase_id)
    p1: uint256 = self._p1[purchase_id]
    assert actor == convert(p1 & _ADDRESS_MASK, address), "unauthorised: only the buyer reclaims a purchase"
    assert (p2 >> 246) & 7 == AWAITING_DELIVERY, "invalidState: only an undelivered purchase is reclaimed"
    assert block.timestamp > (p2 >> 192) & _DEADLINE_MASK, "tooEarly: the seller may still deliver until the delivery deadline"
    self._pay_out(purchase_id, p1, p2, 10_000)


# ---------------------------------------------------------------- OpenDispute, SubmitEvidence, Rule

@external
@nonreentrant
def openDispute(purchase_id: uint256, evidence_cid: String[256]):
    self._open_dispute(msg.sender, purchase_id, evidence_cid)


@external
@nonreentrant
def openDisputeBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, evidence_cid: String[256], r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_OPEN_DISPUTE_TYPEHASH, account, nonce, deadline, purchase_id, keccak256(evidence_cid))), r, vs)
    self._open_dispute(account, purchase_id, evidence_cid)


@internal
def _open_dispute(actor: address, purchase_id: uint256, evidence_cid: String[256]):
    p2: uint256 = self._known(purchase_id)
    buyer: address = convert(self._p1[purchase_id] & _ADDRESS_MASK, address)
    seller: address = convert(p2 & _ADDRESS_MASK, address)
    assert actor == buyer or actor == seller, "unauthorised: only the buyer or the seller may dispute a purchase"
    state: uint256 = (p2 >> 246) & 7
    assert state == AWAITING_DELIVERY or state == DELIVERED, "invalidState: the purchase is not open and cannot be disputed"
    if state == DELIVERED:
        assert block.timestamp <= (p2 >> 192) & _DEADLINE_MASK, "tooLate: the acceptance deadline has passed; the purchase can only be released"
    opened: uint256 = self.disputesOpened
    arbiter: address = staticcall GOVERNANCE.arbiterFor(buyer, seller, opened)
    assert arbiter != empty(address), "invalidState: no arbiter is registered who is neither buyer nor seller; governance must add one"
    self._pull(actor, arbitrationFee, "insufficientFunds: the arbitration fee is not covered by the opener's balance or allowance")
    self.disputesOpened = opened + 1
    deadline: uint256 = block.timestamp + evidencePeriod
    p2 = self._with(p2, deadline, DISPUTED)
    if len(evidence_cid) != 0:
        p2 |= self._evidence_bit(actor, buyer)
    self._p2[purchase_id] = p2
    self._arbiter[purchase_id] = arbiter
    listing_id: uint256 = (p2 >> 160) & (2**32 - 1)
    log DisputeOpened(purchaseId=purchase_id, listingId=listing_id, by=actor, arbiter=arbiter, evidenceDeadline=deadline, fee=arbitrationFee)
    log Dispute(_arbitrator=arbiter, _disputeID=purchase_id, _metaEvidenceID=listing_id, _evidenceGroupID=purchase_id)
    if len(evidence_cid) != 0:
        log Evidence(_arbitrator=arbiter, _evidenceGroupID=purchase_id, _party=actor, _evidence=concat("ipfs://", evidence_cid))


@external
def submitEvidence(purchase_id: uint256, evidence_cid: String[256]):
    self._submit_evidence(msg.sender, purchase_id, evidence_cid)


@external
def submitEvidenceBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, evidence_cid: String[256], r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SUBMIT_EVIDENCE_TYPEHASH, account, nonce, deadline, purchase_id, keccak256(evidence_cid))), r, vs)
    self._submit_evidence(account, purchase_id, evidence_cid)


@internal
def _submit_evidence(actor: address, purchase_id: uint256, evidence_cid: String[256]):
    p2: uint256 = self._known(purchase_id)
    buyer: address = convert(self._p1[purchase_id] & _ADDRESS_MASK, address)
    assert actor == buyer or actor == convert(p2 & _ADDRESS_MASK, address), "unauthorised: only the buyer or the seller submits evidence"
    assert (p2 >> 246) & 7 == DISPUTED, "invalidState: the purchase is not in dispute"
    assert block.timestamp <= (p2 >> 192) & _DEADLINE_MASK, "tooLate: the evidence period has ended"
    assert len(evidence_cid) != 0, "invalidArgument: evidence is an ERC-1497 JSON document named by its CID"
    bit: uint256 = self._evidence_bit(actor, buyer)
    if p2 & bit == 0:
        self._p2[purchase_id] = p2 | bit
    log Evidence(_arbitrator=self._arbiter[purchase_id], _evidenceGroupID=purchase_id, _party=actor, _evidence=concat("ipfs://", evidence_cid))


@external
@nonreentrant
def rule(purchase_id: uint256, buyer_bps: uint256):
    self._rule(msg.sender, purchase_id, buyer_bps)


@external
@nonreentrant
def ruleBySig(account: address, nonce: uint256, deadline: uint256, purchase_id: uint256, buyer_bps: uint256, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_RULE_TYPEHASH, account, nonce, deadline, purchase_id, buyer_bps)), r, vs)
    self._rule(account, purchase_id, buyer_bps)


@internal
def _rule(actor: address, purchase_id: uint256, buyer_bps: uint256):
    assert buyer_bps <= 10_000, "invalidIntent: buyerBps must be basis points from 0 to 10000"
    p2: uint256 = self._known(purchase_id)
    assert (p2 >> 246) & 7 == DISPUTED, "invalidState: the purchase is not in dispute"
    arbiter: address = self._arbiter[purchase_id]
    assert actor == arbiter, "unauthorised: only the assigned arbiter rules on a purchase"
    assert block.timestamp > (p2 >> 192) & _DEADLINE_MASK or (p2 & _BUYER_EVIDENCE != 0 and p2 & _SELLER_EVIDENCE != 0), "tooEarly: rule after the evidence period, or once both sides have submitted evidence"
    log Ruling(_arbitrator=arbiter, _disputeID=purchase_id, _ruling=buyer_bps)
    self._push(arbiter, arbitrationFee)
    self._pay_out(purchase_id, self._p1[purchase_id], p2, buyer_bps)


# ---------------------------------------------------------------- helpers

@internal
def _pay_out(purchase_id: uint256, p1: uint256, p2: uint256, buyer_bps: uint256):
    """
    @dev Pays an open escrow out: `buyer_bps` of the price back to the buyer, the
         rest to the seller less the platform fee (rate fixed at purchase).
    """
    price: uint256 = p1 >> 160
    buyer: address = convert(p1 & _ADDRESS_MASK, address)
    seller: address = convert(p2 & _ADDRESS_MASK, address)
    listing_id: uint256 = (p2 >> 160) & (2**32 - 1)
    refund: uint256 = self._share(price, buyer_bps)
    seller_gross: uint256 = price - refund
    fee: uint256 = self._share(seller_gross, (p2 >> 232) & 16383)
    state: uint256 = SPLIT
    if refund == price:
        state = REFUNDED
    elif refund == 0:
        state = RELEASED
    self._p2[purchase_id] = (p2 & ~(7 << 246)) | (state << 246)
    treasury: address = empty(address)
    if state != REFUNDED:
        treasury = convert((staticcall GOVERNANCE.feeAndTreasury()) & _ADDRESS_MASK, address)
    self._push(buyer, refund)
    self._push(seller, seller_gross - fee)
    self._push(treasury, fee)
    if state == RELEASED:
        log EscrowReleased(purchaseId=purchase_id, listingId=listing_id, seller=seller, amount=seller_gross - fee, fee=fee, treasury=treasury)
    elif state == REFUNDED:
        log EscrowRefunded(purchaseId=purchase_id, listingId=listing_id, buyer=buyer, amount=refund)
        log LicenceRevoked(purchaseId=purchase_id, listingId=listing_id, licensee=buyer)
    else:
        log EscrowSplit(purchaseId=purchase_id, listingId=listing_id, buyer=buyer, buyerAmount=refund, seller=seller, sellerAmount=seller_gross - fee, fee=fee, treasury=treasury)


@internal
@view
def _require_not_paused():
    assert self._counter & _PAUSED_BIT == 0, "pausable: contract is paused"


@internal
@view
def _known(purchase_id: uint256) -> uint256:
    p2: uint256 = self._p2[purchase_id]
    assert p2 != 0, "unknown: there is no such purchase"
    return p2


@internal
@pure
def _with(p2: uint256, deadline: uint256, state: uint256) -> uint256:
    # Replaces the deadline and the state, keeping the rest.
    return (p2 & ~((_DEADLINE_MASK << 192) | (7 << 246))) | (deadline << 192) | (state << 246)


@internal
@pure
def _evidence_bit(actor: address, buyer: address) -> uint256:
    if actor == buyer:
        return _BUYER_EVIDENCE
    return _SELLER_EVIDENCE


@internal
@pure
def _share(amount: uint256, bps: uint256) -> uint256:
    # The embedded ledger's rounding: floor(amount * bps / 10000), without overflow.
    return (amount // 10_000) * bps + (amount % 10_000) * bps // 10_000


@internal
def _pull(sender: address, amount: uint256, reason: String[100]):
    ok: bool = False
    response: Bytes[32] = b""
    ok, response = raw_call(
        PAYMENT_TOKEN.address,
        abi_encode(sender, self, amount, method_id=method_id("transferFrom(address,address,uint256)")),
        max_outsize=32,
        revert_on_failure=False,
    )
    if not (ok and (len(response) == 0 or convert(response, bool))):
        raise reason


@internal
def _push(receiver: address, amount: uint256):
    if amount == 0:
        return
    ok: bool = False
    response: Bytes[32] = b""
    ok, response = raw_call(
        PAYMENT_TOKEN.address,
        abi_encode(receiver, amount, method_id=method_id("transfer(address,uint256)")),
        max_outsize=32,
        revert_on_failure=False,
    )
    assert ok and (len(response) == 0 or convert(response, bool)), "invalidState: the payment token refused a payout"
