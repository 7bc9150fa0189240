# pragma version 0.4.3
# pragma evm-version cancun
"""
@title Lightbox Governance
@notice The arbiter registry, the QA signers whose attestations the
        DatasetRegistry accepts, the platform fee and its treasury. The owner
        (snekmate ownable_2step: transfer, then accept) is the embedded ledger's
        governance account; it may be a multisig, which calls directly or signs
        relayed intents under EIP-1271.
        Intents: SetArbiter, SetQASigner, SetPlatformFee.
"""

from snekmate.auth import ownable
from snekmate.auth import ownable_2step
from snekmate.utils import eip712_domain_separator
import intents

initializes: ownable
initializes: ownable_2step[ownable := ownable]
initializes: eip712_domain_separator
initializes: intents[eip712_domain_separator := eip712_domain_separator]

exports: (
    ownable_2step.owner,
    ownable_2step.pending_owner,
    ownable_2step.transfer_ownership,
    ownable_2step.accept_ownership,
    ownable_2step.renounce_ownership,
    eip712_domain_separator.eip712Domain,
    intents.intentNonces,
)

# Active arbiters at most at once: a dispute reads them all to pick one.
MAX_ARBITERS: public(constant(uint256)) = 32
MAX_FEE_BPS: public(constant(uint256)) = 5_000

_SET_ARBITER_TYPEHASH: constant(bytes32) = keccak256(
    "SetArbiter(address account,uint256 nonce,uint256 deadline,address arbiter,bool active)"
)
_SET_QA_SIGNER_TYPEHASH: constant(bytes32) = keccak256(
    "SetQASigner(address account,uint256 nonce,uint256 deadline,address signer,bool active)"
)
_SET_PLATFORM_FEE_TYPEHASH: constant(bytes32) = keccak256(
    "SetPlatformFee(address account,uint256 nonce,uint256 deadline,uint256 feeBps,address treasury)"
)

# The Escrow keeps a copy of the fee rate next to its purchase counter (one
# storage word a purchase reads anyway); Governance pushes every change to it.
interface IEscrowFee:
    def syncPlatformFee(fee_bps: uint256): nonpayable

event EscrowAttached:
    escrow: indexed(address)

event ArbiterSet:
    arbiter: indexed(address)
    active: bool

event QASignerSet:
    signer: indexed(address)
    active: bool

event PlatformFeeSet:
    feeBps: uint256
    treasury: indexed(address)

isArbiter: public(HashMap[address, bool])
isQASigner: public(HashMap[address, bool])
# Active arbiters in ascending address order (the embedded ledger's order).
_arbiters: DynArray[address, MAX_ARBITERS]
# treasury (bits 0-159) | fee in basis points (bits 160-175): one slot, read by every purchase.
_fee: uint256
# The Escrow that captures the platform fee at purchase (zero until attached).
escrow: public(address)


@deploy
def __init__(fee_bps: uint256, treasury_: address):
    """
    @notice The deployer is the first owner (governance).
    """
    ownable.__init__()
    ownable_2step.__init__()
    eip712_domain_separator.__init__("Lightbox", "1")
    intents.__init__()
    assert fee_bps <= MAX_FEE_BPS, "invalidArgument: the platform fee is at most 5000 basis points (50 %)"
    assert treasury_ != empty(address), "invalidArgument: the treasury cannot be the zero address"
    self._fee = convert(treasury_, uint256) | (fee_bps << 160)


# ---------------------------------------------------------------- views

@external
@view
def platformFeeBps() -> uint256:
    return self._fee >> 160


@external
@view
def treasury() -> address:
    return convert(self._fee & convert(max_value(uint160), uint256), address)


@external
@view
def feeAndTreasury() -> uint256:
    """
    @return The treasury in bits 0-159 and the fee (basis points) above: one read for the escrow.
    """
    return self._fee


@external
@view
def arbiters() -> DynArray[address, MAX_ARBITERS]:
    return self._arbiters


@external
@view
def arbiterFor(buyer: address, seller: address, disputes_opened: uint256) -> address:
    """
    @notice The embedded ledger's assignment: the active arbiters that are neither
            buyer nor seller, in address order, taken in turn by the number of
            disputes opened so far. The zero address when there is none.
    """
    candidates: DynArray[address, MAX_ARBITERS] = []
    for a: address in self._arbiters:
        if a != buyer and a != seller:
            candidates.append(a)
    if len(candidates) == 0:
        return empty(address)
    return candidates[disputes_opened % len(candidates)]


# ---------------------------------------------------------------- SetArbiter

@external
def setArbiter(arbiter: address, active: bool):
    self._set_arbiter(msg.sender, arbiter, active)


@external
def setArbiterBySig(account: address, nonce: uint256, deadline: uint256, arbiter: address, active: bool, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SET_ARBITER_TYPEHASH, account, nonce, deadline, arbiter, active)), r, vs)
    self._set_arbiter(account, arbiter, active)


@internal
def _set_arbiter(actor: address, arbiter: address, active: bool):
    self._require_governance(actor)
    if active and not self.isArbiter[arbiter]:
        assert len(self._arbiters) < MAX_ARBITERS, "invalidArgument: at most 32 arbiters can be active at once on a chain"
        # Insert in address order.
        arbiters: DynArray[address, MAX_ARBITERS] = []
        placed: bool = False
        for a: address in self._arbiters:
            if not placed and convert(arbiter, uint160) < convert(a, uint160):
                arbiters.append(arbiter)
                placed = True
            arbiters.append(a)
        if not placed:
            arbiters.append(arbiter)
        self._arbiters = arbiters
        self.isArbiter[arbiter] = True
    elif not active and self.isArbiter[arbiter]:
        arbiters: DynArray[address, MAX_ARBITERS] = []
        for a: address in self._arbiters:
            if a != arbiter:
                arbiters.append(a)
        self._arbiters = arbiters
        self.isArbiter[arbiter] = False
    log ArbiterSet(arbiter=arbiter, active=active)


# ---------------------------------------------------------------- SetQASigner

@external
def setQASigner(signer: address, active: bool):
    self._set_qa_signer(msg.sender, signer, active)


@external
def setQASignerBySig(account: address, nonce: uint256, deadline: uint256, signer: address, active: bool, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SET_QA_SIGNER_TYPEHASH, account, nonce, deadline, signer, active)), r, vs)
    self._set_qa_signer(account, signer, active)


@internal
def _set_qa_signer(actor: address, signer: address, active: bool):
    self._require_governance(actor)
    assert signer != empty(address), "invalidArgument: a QA signer is an address with a key, not the zero address"
    self.isQASigner[signer] = active
    log QASignerSet(signer=signer, active=active)


# ---------------------------------------------------------------- SetPlatformFee

@external
def setPlatformFee(fee_bps: uint256, treasury_: address):
    self._set_platform_fee(msg.sender, fee_bps, treasury_)


@external
def setPlatformFeeBySig(account: address, nonce: uint256, deadline: uint256, fee_bps: uint256, treasury_: address, r: bytes32, vs: bytes32):
    intents._consume(account, nonce, deadline, keccak256(abi_encode(_SET_PLATFORM_FEE_TYPEHASH, account, nonce, deadline, fee_bps, treasury_)), r, vs)
    self._set_platform_fee(account, fee_bps, treasury_)


@internal
def _set_platform_fee(actor: address, fee_bps: uint256, treasury_: address):
    self._require_governance(actor)
    assert fee_bps <= 10_000, "invalidIntent: feeBps must be basis points from 0 to 10000"
    assert fee_bps <= MAX_FEE_BPS, "invalidArgument: the platform fee is at most 5000 basis points (50 %)"
    assert treasury_ != empty(address), "invalidArgument: the treasury cannot be the zero address"
    self._fee = convert(treasury_, uint256) | (fee_bps << 160)
    escrow_: address = self.escrow
    if escrow_ != empty(address):
        extcall IEscrowFee(escrow_).syncPlatformFee(fee_bps)
    log PlatformFeeSet(feeBps=fee_bps, treasury=treasury_)


@external
def attachEscrow(escrow_: address):
    """
    @notice Names the Escrow whose copy of the platform fee Governance keeps
            current (once, by the owner, right after deploying the Escrow).
    """
    assert msg.sender == ownable.owner, "unauthorised: only governance (the owner) may attach the escrow"
    assert self.escrow == empty(address), "invalidState: the escrow is already attached"
    assert escrow_ != empty(address), "invalidArgument: the escrow cannot be the zero address"
    self.escrow = escrow_
    extcall IEscrowFee(escrow_).syncPlatformFee(self._fee >> 160)
    log EscrowAttached(escrow=escrow_)


@internal
@view
def _require_governance(actor: address):
    assert actor == ownable.owner, "unauthorised: only governance (the owner) may change this"
