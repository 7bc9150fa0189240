import boa
from conftest import refused
from lightbox import TEMPLATES, ZERO, account_address, account_key, mint_fields, terms_hash

A = account_address
E = 10**18


def test_listing_token_uri_royalty_and_interfaces(stack):
    r = stack.registry
    assert r.tokenURI(1) == "ipfs://bafymanifest"
    assert r.royaltyInfo(1, 1_000 * E) == (A("seller"), 50 * E)
    assert r.ownerOf(1) == A("seller") and r.totalSupply() == 1 and r.tokenByIndex(0) == 1
    assert r.tokenOfOwnerByIndex(A("seller"), 0) == 1
    for iid in ("01ffc9a7", "80ac58cd", "5b5e139f", "780e9d63", "2a55205a", "49064906"):
        assert r.supportsInterface(bytes.fromhex(iid))
    assert not r.supportsInterface(b"\xff\xff\xff\xff")
    owner, creator, price, paused, delisted, th, royalty, days = r.listing(1)
    assert (owner, creator, price, paused, delisted, th, royalty, days) == (
        A("seller"), A("seller"), 100 * E, False, False, terms_hash(TEMPLATES["commercial"]), 500, 0)
    assert r.listingOfManifest("bafymanifest") == 1


def test_mint_refusals_in_the_embedded_ledgers_order(stack):
    mint = lambda **kw: stack.act("Mint", "seller", mint_fields(**kw))  # noqa: E731
    base = dict(qa="qa", content_root="bafyroot2", manifest_cid="bafym2")
    refused("invalidAttestation", mint, **dict(base, qa="qa2"))  # not a registered signer
    refused("invalidAttestation", mint, **dict(base, signer_key=account_key("mallory")))  # does not verify
    refused("invalidAttestation", mint, **dict(base, score=101))
    refused("invalidAttestation", mint, **dict(base, passed=False))
    refused("invalidArgument", mint, **dict(base, content_root=""))
    refused("invalidArgument", mint, **dict(base, terms=dict(TEMPLATES["commercial"], template="")))
    refused("invalidArgument", mint, **dict(base, terms=dict(TEMPLATES["commercial"], territory="")))
    refused("invalidArgument", mint, **dict(base, terms=dict(TEMPLATES["CC-BY-4.0"], commercialUse=False)))
    refused("invalidState", mint, **dict(base, manifest_cid="bafymanifest"))
    refused("invalidArgument", mint, **dict(base, price=2**96))
    refused("invalidIntent", mint, **dict(base, royalty_bps=10_001))
    out = mint(**dict(base, terms=TEMPLATES["CC-BY-4.0"]))
    assert out.events[0]["event"] == "DatasetRegistry.ListingMinted" and out.result == 2


def test_delist_frees_the_manifest(stack):
    refused("unauthorised", stack.act, "Delist", "mallory", {"listingId": 1})
    refused("unknown", stack.act, "Delist", "seller", {"listingId": 9})
    stack.act("Delist", "seller", {"listingId": 1})
    refused("invalidState", stack.act, "Delist", "seller", {"listingId": 1})
    refused("invalidState", stack.act, "SetPrice", "seller", {"listingId": 1, "price": 1})
    refused("invalidState", stack.act, "SetPaused", "seller", {"listingId": 1, "paused": True})
    assert stack.act("Mint", "buyer", mint_fields("qa", "bafyroot", "bafymanifest")).result == 2


def test_price_and_pause(stack):
    out = stack.act("SetPrice", "seller", {"listingId": 1, "price": 7})
    assert out.events == [{"event": "DatasetRegistry.PriceChanged", "args": {"listingId": "1", "price": "7"}}]
    refused("invalidArgument", stack.act, "SetPrice", "seller", {"listingId": 1, "price": 2**96})
    stack.act("SetPaused", "seller", {"listingId": 1, "paused": True}, relayed=False)
    assert stack.registry.listing(1)[3] is True
    stack.act("SetPaused", "seller", {"listingId": 1, "paused": False})
    assert stack.registry.listing(1)[3] is False


def test_offer_and_take(stack):
    refused("invalidState", stack.act, "TakeListing", "collector", {"listingId": 1, "price": 5})
    refused("invalidArgument", stack.act, "OfferListing", "seller", {"listingId": 1, "to": A("seller"), "price": 5})
    refused("unauthorised", stack.act, "OfferListing", "buyer", {"listingId": 1, "to": ZERO, "price": 5})
    stack.act("OfferListing", "seller", {"listingId": 1, "to": ZERO, "price": 40 * E})
    assert stack.registry.offer(1) == (True, ZERO, 40 * E)
    refused("invalidArgument", stack.act, "TakeListing", "seller", {"listingId": 1, "price": 40 * E})
    refused("invalidState", stack.act, "TakeListing", "collector", {"listingId": 1, "price": 41 * E})
    refused("insufficientFunds", stack.act, "TakeListing", "poor", {"listingId": 1, "price": 40 * E})
    before = stack.token.balanceOf(A("seller"))
    out = stack.act("TakeListing", "collector", {"listingId": 1, "price": 40 * E}, relayed=False)
    assert out.events[-1]["event"] == "DatasetRegistry.ListingTransferred"
    assert stack.token.balanceOf(A("seller")) == before + 40 * E  # creator and owner are the same here
    assert stack.registry.ownerOf(1) == A("collector") and stack.registry.offer(1)[0] is False


def test_a_plain_transfer_ends_an_open_offer(stack):
    stack.act("OfferListing", "seller", {"listingId": 1, "to": ZERO, "price": 1})
    with boa.env.prank(A("mallory")), boa.reverts("unauthorised: the caller is neither the listing's owner nor approved"):
        stack.registry.transferFrom(A("seller"), A("mallory"), 1)
    with boa.env.prank(A("seller")):
        stack.registry.transferFrom(A("seller"), A("buyer2"), 1)
    assert stack.registry.offer(1)[0] is False and stack.registry.ownerOf(1) == A("buyer2")


def test_operator(stack):
    refused("invalidArgument", stack.act, "SetOperator", "seller", {"operator": A("seller"), "active": True})
    out = stack.act("SetOperator", "seller", {"operator": A("node"), "active": True})
    assert out.events == [{"event": "DatasetRegistry.ApprovalForAll",
                           "args": {"owner": A("seller").lower(), "operator": A("node").lower(), "approved": "true"}}]
    assert stack.registry.isApprovedForAll(A("seller"), A("node"))


def test_emergency_pause_is_governance_only(stack):
    with boa.env.prank(A("mallory")), boa.reverts("unauthorised: only governance (the owner) may pause or unpause"):
        stack.registry.pause()
    with boa.env.prank(A("governance")):
        stack.registry.pause()
    refused("invalidState", stack.act, "Mint", "seller", mint_fields("qa", "r", "m2"))
    refused("invalidState", stack.act, "OfferListing", "seller", {"listingId": 1, "to": ZERO, "price": 1})
    stack.act("SetPrice", "seller", {"listingId": 1, "price": 3})  # owners still manage listings
    with boa.env.prank(A("governance")):
        stack.registry.unpause()
    stack.act("Mint", "seller", mint_fields("qa", "r", "m2"))


def test_the_creator_survives_transfers_and_resales(stack):
    r = stack.registry
    with boa.env.prank(A("seller")):
        r.transferFrom(A("seller"), A("buyer2"), 1)
    assert r.royaltyInfo(1, 1_000 * E) == (A("seller"), 50 * E) and r.listing(1)[:2] == (A("buyer2"), A("seller"))
    stack.act("OfferListing", "buyer2", {"listingId": 1, "to": A("collector"), "price": 100 * E})
    before = stack.token.balanceOf(A("seller"))
    stack.act("TakeListing", "collector", {"listingId": 1, "price": 100 * E})
    assert stack.token.balanceOf(A("seller")) == before + 5 * E  # the creator's royalty
    assert r.royaltyInfo(1, 1_000 * E) == (A("seller"), 50 * E) and r.listing(1)[:2] == (A("collector"), A("seller"))


def test_an_offer_price_above_2_96_is_kept_whole(stack):
    price = 2**127 + 12345
    stack.act("OfferListing", "seller", {"listingId": 1, "to": A("collector"), "price": price})
    assert stack.registry.offer(1) == (True, A("collector"), price)
    assert stack.registry.listing(1)[2] == 100 * E  # the listing's own price is untouched
    refused("invalidState", stack.act, "TakeListing", "collector", {"listingId": 1, "price": price - 2**96})
    stack.act("OfferListing", "seller", {"listingId": 1, "to": ZERO, "price": 7})
    assert stack.registry.offer(1) == (True, ZERO, 7)


def cidv1(data: bytes, codec: int = 0x70) -> str:
    """A base32 CIDv1 of a sha2-256 digest (as IPFS names a manifest)."""
    import base64
    import hashlib
    raw = bytes([1, codec, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


B32 = "abcdefghijklmnopqrstuvwxyz234567"


def test_a_cidv1_manifest_is_kept_as_its_digest_and_reads_back_the_same(stack):
    r = stack.registry
    for codec in (0x70, 0x55, 0x71):
        cid = cidv1(b"manifest %d" % codec, codec)
        lid = stack.act("Mint", "seller", mint_fields("qa", "r", cid)).result
        assert r.tokenURI(lid) == "ipfs://" + cid and r.listingOfManifest(cid) == lid
        refused("invalidState", stack.act, "Mint", "seller", mint_fields("qa", "r", cid))
        stack.act("Delist", "seller", {"listingId": lid})
        assert r.listingOfManifest(cid) == 0
        assert stack.act("Mint", "seller", mint_fields("qa", "r", cid)).result == lid + 1
        assert r.tokenURI(lid + 1) == "ipfs://" + cid
    # Near misses are kept as they were given: another case, padding bits set, another hash or codec width.
    cid = cidv1(b"near")
    padded = cid[:-1] + B32[B32.index(cid[-1]) | 1]
    sha512ish = "b" + cid[1:8].replace(cid[7], "a") + cid[8:]
    for other in (cid.upper(), "B" + cid[1:], padded, sha512ish, cid[:-1], cid + "a", cid[:20] + "1" + cid[21:]):
        lid = stack.act("Mint", "seller", mint_fields("qa", "r", other)).result
        assert r.tokenURI(lid) == "ipfs://" + other and r.listingOfManifest(other) == lid
