import boa
import pytest
from conftest import refused
from lightbox import TEMPLATES, account_address, mint_fields, terms_hash

A = account_address
E = 10**18
TH = terms_hash(TEMPLATES["commercial"])
KEY = b"\x01" * 32
ZERO = "0x" + "00" * 20


def buy(stack, who="buyer", listing=1, price=100 * E, th=TH, key=KEY, relayed=True):
    return stack.act("Purchase", who, {"listingId": listing, "price": price, "termsHash": th, "buyerKey": key}, relayed=relayed)


def test_purchase_refusals_in_order(stack):
    refused("unknown", buy, stack, listing=2)
    stack.act("SetPaused", "seller", {"listingId": 1, "paused": True})
    refused("invalidState", buy, stack)
    stack.act("SetPaused", "seller", {"listingId": 1, "paused": False})
    refused("invalidArgument", buy, stack, who="seller")
    refused("invalidState", buy, stack, price=99 * E)
    refused("invalidState", buy, stack, th=b"\x02" * 32)
    refused("invalidArgument", buy, stack, key=b"\x00" * 32)
    refused("insufficientFunds", buy, stack, who="pauper")
    assert buy(stack).result == 1
    refused("invalidState", buy, stack)  # already holds an active licence
    assert stack.escrow.hasActiveLicence(A("buyer"), 1)


def test_a_licence_with_a_duration_expires_and_may_be_bought_again(stack):
    stack.act("Mint", "seller", mint_fields("qa", "r", "m-research", terms=TEMPLATES["research"], price=10))
    th = terms_hash(TEMPLATES["research"])
    out = buy(stack, listing=2, price=10, th=th)
    now = boa.env.evm.patch.timestamp
    assert out.events[1]["args"]["expiresAt"] == str(now + 365 * 86_400)
    boa.env.evm.patch.timestamp += 365 * 86_400
    assert stack.escrow.licenceStatus(1) == 2  # expired
    buy(stack, listing=2, price=10, th=th)
    assert stack.escrow.licenceStatus(1) == 2 and stack.escrow.licenceStatus(2) == 1


def test_a_cidv1_manifest_or_a_large_offer_does_not_leak_into_the_licence_duration(stack):
    """The listing's info word packs the duration beside the CID codec and an offer's high price bits: a purchase of
    a perpetual listing whose manifest is a real CIDv1 (or that was offered above 2^96) must stay perpetual."""
    from test_registry import cidv1
    lid = stack.act("Mint", "seller", mint_fields("qa", "r", cidv1(b"a real manifest"), price=10)).result
    assert stack.registry.listing(lid)[7] == 0  # licence days
    out = buy(stack, listing=lid, price=10)
    assert out.events[1]["args"]["expiresAt"] == "never"
    assert stack.escrow.licenceStatus(out.result) == 1 and stack.escrow.licenceExpiresAt(out.result) == 0
    stack.act("OfferListing", "seller", {"listingId": 1, "to": ZERO, "price": 2**100})
    assert stack.registry.listing(1)[7] == 0
    out = buy(stack, who="collector", listing=1)
    assert out.events[1]["args"]["expiresAt"] == "never"


def test_delivery_by_seller_or_operator(stack):
    buy(stack)
    refused("unknown", stack.act, "Deliver", "seller", {"purchaseId": 2, "sealedKey": b"k"})
    refused("unauthorised", stack.act, "Deliver", "node", {"purchaseId": 1, "sealedKey": b"k"})
    refused("invalidArgument", stack.act, "Deliver", "seller", {"purchaseId": 1, "sealedKey": b""})
    stack.act("SetOperator", "seller", {"operator": A("node"), "active": True})
    out = stack.act("Deliver", "node", {"purchaseId": 1, "sealedKey": b"sealed"})
    assert out.events[0]["args"]["sealedKey"] == "0x" + b"sealed".hex()
    refused("invalidState", stack.act, "Deliver", "seller", {"purchaseId": 1, "sealedKey": b"k"})


def test_accept_release_reclaim(stack):
    buy(stack)
    refused("invalidState", stack.act, "Release", "anyone", {"purchaseId": 1})
    stack.act("Deliver", "seller", {"purchaseId": 1, "sealedKey": b"k"})
    refused("unauthorised", stack.act, "Accept", "seller", {"purchaseId": 1})
    refused("invalidState", stack.act, "Reclaim", "buyer", {"purchaseId": 1})
    refused("tooEarly", stack.act, "Release", "anyone", {"purchaseId": 1})
    stack.act("Accept", "buyer", {"purchaseId": 1}, relayed=False)
    refused("invalidState", stack.act, "Accept", "buyer", {"purchaseId": 1})
    assert stack.token.balanceOf(A("treasury")) == 25 * E // 10
    assert stack.token.balanceOf(stack.escrow.address) == 0


def test_fee_rate_is_fixed_at_purchase(stack):
    buy(stack)
    stack.act("SetPlatformFee", "governance", {"feeBps": 5000, "treasury": A("treasury")})
    stack.act("Deliver", "seller", {"purchaseId": 1, "sealedKey": b"k"})
    stack.act("Accept", "buyer", {"purchaseId": 1})
    assert stack.token.balanceOf(A("treasury")) == 25 * E // 10


def test_disputes(stack):
    buy(stack)
    refused("unauthorised", stack.act, "OpenDispute", "mallory", {"purchaseId": 1, "evidenceCid": ""})
    refused("invalidState", stack.act, "SubmitEvidence", "buyer", {"purchaseId": 1, "evidenceCid": "c"})
    refused("invalidState", stack.act, "Rule", "arbiter", {"purchaseId": 1, "buyerBps": 0})
    out = stack.act("OpenDispute", "seller", {"purchaseId": 1, "evidenceCid": ""})
    assert [e["event"] for e in out.events] == ["Escrow.DisputeOpened"]
    refused("invalidState", stack.act, "OpenDispute", "buyer", {"purchaseId": 1, "evidenceCid": ""})
    refused("unauthorised", stack.act, "SubmitEvidence", "mallory", {"purchaseId": 1, "evidenceCid": "c"})
    refused("invalidArgument", stack.act, "SubmitEvidence", "buyer", {"purchaseId": 1, "evidenceCid": ""})
    refused("unauthorised", stack.act, "Rule", "mallory", {"purchaseId": 1, "buyerBps": 0})
    refused("tooEarly", stack.act, "Rule", "arbiter", {"purchaseId": 1, "buyerBps": 0})
    refused("invalidIntent", stack.act, "Rule", "arbiter", {"purchaseId": 1, "buyerBps": 10_001})
    boa.env.evm.patch.timestamp += 172_801
    refused("tooLate", stack.act, "SubmitEvidence", "buyer", {"purchaseId": 1, "evidenceCid": "c"})
    out = stack.act("Rule", "arbiter", {"purchaseId": 1, "buyerBps": 10_000})
    assert [e["event"] for e in out.events] == ["Escrow.Ruling", "Escrow.EscrowRefunded", "Licences.LicenceRevoked"]
    assert stack.escrow.licenceStatus(1) == 3
    assert stack.token.balanceOf(A("arbiter")) == 5 * E and stack.token.balanceOf(A("buyer")) == 1_000 * E
    buy(stack)  # a revoked licence may be bought again


def test_no_arbiter_who_is_not_a_party(stack):
    stack.act("SetArbiter", "governance", {"arbiter": A("arbiter"), "active": False})
    stack.act("SetArbiter", "governance", {"arbiter": A("buyer"), "active": True})
    buy(stack)
    refused("invalidState", stack.act, "OpenDispute", "buyer", {"purchaseId": 1, "evidenceCid": ""})


def test_dispute_fee_must_be_covered(stack):
    stack.fund("poorbuyer", 100 * E)
    buy(stack, who="poorbuyer")
    refused("insufficientFunds", stack.act, "OpenDispute", "poorbuyer", {"purchaseId": 1, "evidenceCid": ""})


def test_purchase_with_permit_in_one_call(stack):
    from eth_account import Account
    from eth_account.messages import encode_typed_data
    from lightbox import account_key
    stack.fund("signer", 0)
    stack.token.mint(A("signer"), 100 * E, sender=A("governance"))
    stack.token.approve(stack.escrow.address, 0, sender=A("signer"))
    deadline = boa.env.evm.patch.timestamp + 600
    typed = {"types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                        {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                       "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                                  {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                                  {"name": "deadline", "type": "uint256"}]},
             "primaryType": "Permit",
             "domain": {"name": "Lightbox Dev Token", "version": "1", "chainId": boa.env.evm.patch.chain_id,
                        "verifyingContract": str(stack.token.address)},
             "message": {"owner": A("signer"), "spender": str(stack.escrow.address), "value": 100 * E, "nonce": 0,
                         "deadline": deadline}}
    sig = Account.sign_message(encode_typed_data(full_message=typed), account_key("signer"))
    with boa.env.prank(A("signer")):
        pid = stack.escrow.purchaseWithPermit(1, 100 * E, TH, KEY, deadline, sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big"))
    assert pid == 1 and stack.token.balanceOf(stack.escrow.address) == 100 * E


def test_emergency_pause_stops_purchases_only(stack):
    buy(stack)
    with boa.env.prank(A("mallory")), boa.reverts("unauthorised: only governance (the owner) may pause the escrow"):
        stack.escrow.pause()
    with boa.env.prank(A("governance")):
        stack.escrow.pause()
    refused("invalidState", buy, stack, who="buyer2")
    boa.env.evm.patch.timestamp += 86_401
    stack.act("Reclaim", "buyer", {"purchaseId": 1})  # money can always leave
    assert stack.escrow.paused()
    with boa.env.prank(A("governance")), boa.reverts("pausable: contract is paused"):
        stack.escrow.pause()
    with boa.env.prank(A("governance")):
        stack.escrow.unpause()
    assert not stack.escrow.paused() and stack.escrow.purchaseCount() == 1
    with boa.env.prank(A("governance")), boa.reverts("pausable: contract is not paused"):
        stack.escrow.unpause()
    assert buy(stack, who="buyer2").result == 2
