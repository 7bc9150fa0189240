"""Random sequences of marketplace actions: tokens are conserved (balances + escrow = supply), an escrow pays out at
most once, and a licence is active only if it was bought and not refunded."""
import boa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lightbox import TEMPLATES, Refused, Stack, account_address, mint_fields, terms_hash

E = 10**18
PEOPLE = ["alice", "bob", "carol"]
TH = terms_hash(TEMPLATES["commercial"])
PAYOUTS = {"Escrow.EscrowReleased", "Escrow.EscrowRefunded", "Escrow.EscrowSplit"}

action = st.one_of(
    st.tuples(st.just("Purchase"), st.sampled_from(PEOPLE), st.integers(1, 3)),
    st.tuples(st.just("Deliver"), st.sampled_from(PEOPLE), st.integers(1, 6)),
    st.tuples(st.just("Accept"), st.sampled_from(PEOPLE), st.integers(1, 6)),
    st.tuples(st.just("Release"), st.sampled_from(PEOPLE), st.integers(1, 6)),
    st.tuples(st.just("Reclaim"), st.sampled_from(PEOPLE), st.integers(1, 6)),
    st.tuples(st.just("OpenDispute"), st.sampled_from(PEOPLE), st.integers(1, 6)),
    st.tuples(st.just("SubmitEvidence"), st.sampled_from(PEOPLE), st.integers(1, 6)),
    st.tuples(st.just("Rule"), st.sampled_from(["arbiter", "judge"]), st.integers(1, 6), st.integers(0, 10_000)),
    st.tuples(st.just("TakeListing"), st.sampled_from(PEOPLE), st.integers(1, 3)),
    st.tuples(st.just("wait"), st.sampled_from([3_600, 86_401, 172_801, 259_201])),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=5, max_size=25), st.booleans())
def test_random_sequences_keep_the_invariants(actions, relayed):
    with boa.env.anchor():
        boa.env.evm.patch.timestamp = 1_767_225_600
        s = Stack.deploy()
        for name in PEOPLE:
            s.fund(name, 500 * E)
        supply = 3 * 500 * E
        s.act("SetQASigner", "governance", {"signer": account_address("qa"), "active": True}, relayed=False)
        for arbiter in ("arbiter", "judge"):
            s.act("SetArbiter", "governance", {"arbiter": account_address(arbiter), "active": True}, relayed=False)
        for i, owner in enumerate(PEOPLE, start=1):
            s.act("Mint", owner, mint_fields("qa", "root", f"manifest{i}", price=(10 + i) * E, royalty_bps=700), relayed=False)
            s.act("OfferListing", owner, {"listingId": i, "to": "0x" + "00" * 20, "price": 7 * E}, relayed=False)
        paid = {}
        refunded = set()
        for a in actions:
            kind, who = a[0], a[1]
            if kind == "wait":
                boa.env.evm.patch.timestamp += who
                continue
            if kind == "Purchase":
                listing = a[2]
                fields = {"listingId": listing, "price": s.registry.listing(listing)[2], "termsHash": TH, "buyerKey": b"\x07" * 32}
            elif kind == "TakeListing":
                fields = {"listingId": a[2], "price": 7 * E}
            elif kind == "Deliver":
                fields = {"purchaseId": a[2], "sealedKey": b"k"}
            elif kind in ("OpenDispute", "SubmitEvidence"):
                fields = {"purchaseId": a[2], "evidenceCid": "bafyev"}
            elif kind == "Rule":
                fields = {"purchaseId": a[2], "buyerBps": a[3]}
            else:
                fields = {"purchaseId": a[2]}
            try:
                out = s.act(kind, who, fields, relayed=relayed)
            except Refused as refusal:
                assert refusal.reason is not None and refusal.kind != "invalidIntent", refusal.reason
                continue
            for event in out.events:
                if event["event"] in PAYOUTS:
                    pid = int(event["args"]["purchaseId"])
                    paid[pid] = paid.get(pid, 0) + 1
                    assert paid[pid] == 1, f"purchase {pid} paid out twice"
                    if event["event"] == "Escrow.EscrowRefunded":
                        refunded.add(pid)
            total = sum(s.token.balanceOf(account_address(n)) for n in PEOPLE + ["arbiter", "judge", "treasury"])
            assert total + s.token.balanceOf(s.escrow.address) == supply == s.token.totalSupply()
        for pid in range(1, s.escrow.purchaseCount() + 1):
            status = s.escrow.licenceStatus(pid)
            assert status in (1, 2, 3)
            if status == 1:
                assert pid not in refunded and s.escrow.escrowState(pid) != 5
            if pid in refunded:
                assert status == 3
        assert s.escrow.licenceStatus(s.escrow.purchaseCount() + 1) == 0
