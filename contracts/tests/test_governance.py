import boa
import pytest
from conftest import refused
from lightbox import ZERO, account_address, account_key, compact, sign_intent

A = account_address


def test_only_governance_changes_the_registry_of_arbiters_qa_signers_and_fees(stack):
    for relayed in (False, True):
        refused("unauthorised", stack.act, "SetArbiter", "mallory", {"arbiter": A("mallory"), "active": True}, relayed=relayed)
        refused("unauthorised", stack.act, "SetQASigner", "mallory", {"signer": A("mallory"), "active": True}, relayed=relayed)
        refused("unauthorised", stack.act, "SetPlatformFee", "mallory", {"feeBps": 0, "treasury": A("mallory")}, relayed=relayed)


def test_platform_fee_bounds(stack):
    reason = refused("invalidArgument", stack.act, "SetPlatformFee", "governance", {"feeBps": 5001, "treasury": A("treasury")})
    assert reason.startswith("invalidArgument: the platform fee is at most 5000")
    refused("invalidArgument", stack.act, "SetPlatformFee", "governance", {"feeBps": 100, "treasury": ZERO})
    refused("invalidIntent", stack.act, "SetPlatformFee", "governance", {"feeBps": 10_001, "treasury": A("treasury")})
    out = stack.act("SetPlatformFee", "governance", {"feeBps": 5000, "treasury": A("t2")})
    assert out.events == [{"event": "Governance.PlatformFeeSet", "args": {"feeBps": "5000", "treasury": A("t2").lower()}}]
    assert stack.governance.platformFeeBps() == 5000 and stack.governance.treasury() == A("t2")


def test_qa_signer_zero_address_is_refused(stack):
    refused("invalidArgument", stack.act, "SetQASigner", "governance", {"signer": ZERO, "active": True})


def test_arbiters_are_kept_in_address_order_and_assigned_in_turn(stack):
    names = ["a1", "a2", "a3", "a4"]
    for n in names:
        stack.act("SetArbiter", "governance", {"arbiter": A(n), "active": True}, relayed=False)
    stack.act("SetArbiter", "governance", {"arbiter": A("a2"), "active": True}, relayed=False)  # twice: no duplicate
    everyone = sorted([A(n) for n in names] + [A("arbiter")], key=lambda a: int(a, 16))
    assert list(stack.governance.arbiters()) == everyone
    stack.act("SetArbiter", "governance", {"arbiter": A("a3"), "active": False}, relayed=False)
    everyone.remove(A("a3"))
    assert list(stack.governance.arbiters()) == everyone
    # Candidates exclude buyer and seller; index = disputes opened % count.
    candidates = [a for a in everyone if a not in (A("a1"), A("a4"))]
    for k in range(5):
        assert stack.governance.arbiterFor(A("a1"), A("a4"), k) == candidates[k % len(candidates)]
    assert stack.governance.arbiterFor(A("arbiter"), A("x"), 0) != A("arbiter")


def test_relayed_intent_checks_in_order(stack):
    fields = {"arbiter": A("a1"), "active": True}
    now = boa.env.evm.patch.timestamp
    # deadline first: expired even with a bad nonce and a bad signature
    refused("expired", stack.act, "SetArbiter", "governance", fields, deadline=now - 1, nonce=5, signer_key=account_key("x"))
    refused("nonceGap", stack.act, "SetArbiter", "governance", fields, nonce=stack.governance.intentNonces(A("governance")) + 1,
            signer_key=account_key("x"))
    refused("badSignature", stack.act, "SetArbiter", "governance", fields, signer_key=account_key("mallory"))
    stack.act("SetArbiter", "governance", fields)
    refused("replayed", stack.act, "SetArbiter", "governance", fields, nonce=0)
    # deadline == now is still valid (the embedded ledger: deadline >= now)
    stack.act("SetArbiter", "governance", {"arbiter": A("a2"), "active": True}, deadline=now)


def test_an_intent_for_another_contract_does_not_verify(stack):
    account = A("governance")
    nonce = stack.governance.intentNonces(account)
    deadline = boa.env.evm.patch.timestamp + 60
    message = {"arbiter": A("a1"), "active": True, "account": account, "nonce": nonce, "deadline": deadline}
    signature = sign_intent(account_key("governance"), "SetArbiter", message, boa.env.evm.patch.chain_id,
                            str(stack.escrow.address))
    with boa.reverts("badSignature: the intent is not signed by its account under this contract's domain"):
        stack.governance.setArbiterBySig(account, nonce, deadline, A("a1"), True, *compact(signature))
    with boa.reverts("badSignature: the intent is not signed by its account under this contract's domain"):
        stack.governance.setArbiterBySig(account, nonce, deadline, A("a1"), True, b"\x00" * 32, b"\x00" * 32)


WALLET = """
# pragma version 0.4.3
owner: public(address)
@deploy
def __init__(owner_: address):
    self.owner = owner_
@external
@view
def isValidSignature(hash: bytes32, signature: Bytes[65]) -> bytes4:
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    if ecrecover(hash, v, r, s) == self.owner:
        return 0x1626BA7E
    return 0xFFFFFFFF
@external
def call(target: address, data: Bytes[1024]):
    assert msg.sender == self.owner
    raw_call(target, data)
"""


def test_two_step_ownership_to_a_multisig_that_signs_with_eip1271(stack):
    wallet = boa.loads(WALLET, A("signer1"))
    with boa.env.prank(A("governance")):
        stack.governance.transfer_ownership(wallet.address)
    assert stack.governance.owner() == A("governance")  # not until accepted
    with boa.env.prank(A("mallory")), boa.reverts("ownable_2step: caller is not the new owner"):
        stack.governance.accept_ownership()
    from eth_utils import keccak
    accept = keccak(text="accept_ownership()")[:4]
    with boa.env.prank(A("signer1")):
        wallet.call(stack.governance.address, accept)
    assert stack.governance.owner() == wallet.address
    refused("unauthorised", stack.act, "SetArbiter", "governance", {"arbiter": A("a9"), "active": True})
    # The wallet's owner key signs for the wallet (EIP-1271).
    out = stack.act("SetArbiter", str(wallet.address), {"arbiter": A("a9"), "active": True}, key=account_key("signer1"))
    assert out.events[0]["event"] == "Governance.ArbiterSet"
    refused("badSignature", stack.act, "SetArbiter", str(wallet.address), {"arbiter": A("a8"), "active": True},
            key=account_key("mallory"))


def test_the_escrow_keeps_governances_fee_rate(stack):
    assert stack.governance.escrow() == stack.escrow.address
    assert stack.escrow.platformFeeBps() == stack.governance.platformFeeBps() == 250
    stack.act("SetPlatformFee", "governance", {"feeBps": 1234, "treasury": A("t2")})
    assert stack.escrow.platformFeeBps() == 1234
    with boa.env.prank(A("governance")), boa.reverts("invalidState: the escrow is already attached"):
        stack.governance.attachEscrow(A("x"))
    with boa.env.prank(A("mallory")), boa.reverts("unauthorised: only governance (the owner) may attach the escrow"):
        stack.governance.attachEscrow(A("x"))
    with boa.env.prank(A("governance")), boa.reverts("unauthorised: only Governance sets the escrow's platform fee"):
        stack.escrow.syncPlatformFee(0)
