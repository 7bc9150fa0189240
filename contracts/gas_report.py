#!/usr/bin/env python3
"""Gas of each user action, direct and relayed, as real transactions on a warm development chain (py-evm behind
contracts/devchain.py, receipts' gasUsed: intrinsic gas, calldata, execution and refunds included).

    python contracts/gas_report.py [--markdown]

The chain is warmed first: one full round of every action by the same accounts, so balances, counters and nonces
already exist (as on a chain in use); the second round is measured. One purchase stays open throughout, so the
Escrow always holds some escrowed tokens, as it does on a chain in use (otherwise the first purchase after every
escrow was paid out also writes the Escrow's token balance from zero: 17,100 more). Targets are the direct call's.
"""
from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

from eth_abi import decode, encode
from eth_account import Account
from eth_utils import keccak

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "tests"))
import deploy  # noqa: E402
import devchain  # noqa: E402
from lightbox import (  # noqa: E402
    OWN_FIELDS, ROUTES, TEMPLATES, account_address, account_key, compact, mint_fields, sign_intent, terms_tuple, terms_hash,
)

TARGETS = {"Purchase (permit)": 160_000, "Deliver": 80_000, "Accept": 80_000, "OpenDispute": 120_000,
           "Rule": 120_000, "Mint": 250_000}
ARTIFACTS = {"governance": "Governance", "registry": "DatasetRegistry", "escrow": "Escrow", "token": "DevToken"}


def abi_types(inputs):
    def t(i):
        if i["type"].startswith("tuple"):
            return "(" + ",".join(t(c) for c in i["components"]) + ")" + i["type"][5:]
        return i["type"]
    return [t(i) for i in inputs]


class Chain:
    def __init__(self):
        self.server, self.url, self.dev = devchain.serve(port=0)
        self.rpc = deploy.Rpc(self.url)
        args = types.SimpleNamespace(
            rpc_url=self.url, private_key_file=None, payment_token=None, dev=True, chain_id=None, treasury=None,
            platform_fee_bps=250, arbitration_fee=5 * 10**18, delivery_period=86_400, acceptance_period=259_200,
            evidence_period=172_800, faucet_limit=10**22, faucet_account_limit=10**23, receipt_timeout=30)
        deploy.read_key = lambda _: devchain.DEV_KEY
        out = deploy.run(args)
        self.address = {"governance": out["governance"], "registry": out["registry"], "escrow": out["escrow"],
                        "token": out["payment_token"]}
        self.owner_key = devchain.DEV_KEY
        self.abis = {role: deploy.artifact(name)["abi"] for role, name in ARTIFACTS.items()}

    def data(self, role, function, args):
        item = next(i for i in self.abis[role] if i.get("name") == function and i["type"] == "function"
                    and len(i["inputs"]) == len(args))
        ts = abi_types(item["inputs"])
        return "0x" + keccak(text=f"{function}({','.join(ts)})")[:4].hex() + encode(ts, list(args)).hex()

    def send(self, key, role, function, args) -> int:
        d = deploy.Deployer(self.rpc, key, 31337, 30, poll=0.01)
        receipt = d.send(self.address[role], self.data(role, function, args), f"{role}.{function}")
        return int(receipt["gasUsed"], 16)

    def view(self, role, function, args, out_types):
        result = self.rpc("eth_call", {"to": self.address[role], "data": self.data(role, function, args)}, "latest")
        return decode(out_types, bytes.fromhex(result[2:]))

    def now(self) -> int:
        return int(self.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)

    def fund_ether(self, address):
        d = deploy.Deployer(self.rpc, self.owner_key, 31337, 30, poll=0.01)
        nonce = int(self.rpc("eth_getTransactionCount", d.account.address, "pending"), 16)
        max_fee, tip = d.fees()
        tx = {"type": 2, "chainId": 31337, "nonce": nonce, "maxFeePerGas": max_fee, "maxPriorityFeePerGas": tip,
              "gas": 21000, "to": address, "value": 10**20}
        self.rpc("eth_sendRawTransaction", "0x" + bytes(d.account.sign_transaction(tx).raw_transaction).hex())

    def act(self, type_, name, fields, relayed, key=None):
        role, direct, by_sig = ROUTES[type_]
        key = key or account_key(name)
        account = Account.from_key(key).address
        own = [tuple(terms_tuple(fields["terms"]) if n == "terms" else fields[n] for n, _ in OWN_FIELDS["Mint"])] \
            if type_ == "Mint" else [fields[n] for n, _ in OWN_FIELDS[type_]]
        if not relayed:
            return self.send(key, role, direct, own)
        nonce = self.view(role, "intentNonces", [account], ["uint256"])[0]
        deadline = self.now() + 3600
        signature = sign_intent(key, type_, dict(fields, account=account, nonce=nonce, deadline=deadline), 31337,
                                self.address[role])
        return self.send(account_key("relayer"), role, by_sig, [account, nonce, deadline, *own, *compact(signature)])

    def wait(self, seconds):
        self.rpc("evm_increaseTime", hex(seconds))


def manifest_cid(n: int) -> str:
    """A manifest's CID as IPFS names it: CIDv1, dag-pb, sha2-256, base32 ("bafybei...", 59 characters)."""
    import base64
    import hashlib
    raw = bytes([1, 0x70, 0x12, 0x20]) + hashlib.sha256(f"manifest {n}".encode()).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def permit_signature(chain, key, spender, value, deadline):
    owner = Account.from_key(key).address
    nonce = chain.view("token", "nonces", [owner], ["uint256"])[0]
    typed = {
        "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                   {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                  "Permit": [{"name": "owner", "type": "address"}, {"name": "spender", "type": "address"},
                             {"name": "value", "type": "uint256"}, {"name": "nonce", "type": "uint256"},
                             {"name": "deadline", "type": "uint256"}]},
        "primaryType": "Permit",
        "domain": {"name": "Lightbox Dev Token", "version": "1", "chainId": 31337, "verifyingContract": chain.address["token"]},
        "message": {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline},
    }
    from eth_account.messages import encode_typed_data
    sig = Account.sign_message(encode_typed_data(full_message=typed), key)
    return sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")


def measure() -> list[tuple[str, int | None, int | None]]:
    chain = Chain()
    for name in ("qa", "seller", "buyer", "arbiter", "relayer", "collector"):
        chain.fund_ether(account_address(name))
    for name in ("seller", "buyer", "collector"):
        chain.send(chain.owner_key, "token", "mint", [account_address(name), 10**24])
        chain.send(account_key(name), "token", "approve", [chain.address["registry"], 2**256 - 1])
    chain.send(chain.owner_key, "governance", "setQASigner", [account_address("qa"), True])
    chain.send(chain.owner_key, "governance", "setArbiter", [account_address("arbiter"), True])
    th = terms_hash(TEMPLATES["commercial"])
    price = 100 * 10**18
    rows: dict[str, list] = {}
    manifest = iter(range(1000))
    # A purchase that stays open: the Escrow's token balance is never zero.
    fields = mint_fields("qa", "bafybeigdyrztroot", manifest_cid(-1))
    fields["price"] = price
    chain.act("Mint", "seller", fields, False)
    chain.send(account_key("collector"), "token", "approve", [chain.address["escrow"], 2**256 - 1])
    chain.act("Purchase", "collector", {"listingId": chain.view("registry", "totalSupply", [], ["uint256"])[0],
                                        "price": price, "termsHash": th, "buyerKey": b"\x07" * 32}, False)

    def record(label, relayed, gas, measured):
        if measured:
            rows.setdefault(label, [None, None])[1 if relayed else 0] = gas

    for measured in (False, True):
        for relayed in (False, True):
            # Two listings: one for a sale that is accepted, one for a dispute.
            ids = []
            for _ in range(3):
                fields = mint_fields("qa", "bafybeigdyrztroot", manifest_cid(next(manifest)))
                fields["price"] = price
                record("Mint", relayed, chain.act("Mint", "seller", fields, relayed), measured)
                ids.append(chain.view("registry", "totalSupply", [], ["uint256"])[0])
            a, b, c = ids
            # Purchase with permit (direct only: the buyer's own call carries the permit).
            chain.send(account_key("buyer"), "token", "approve", [chain.address["escrow"], 0])
            deadline = chain.now() + 3600
            v, r, s = permit_signature(chain, account_key("buyer"), chain.address["escrow"], price, deadline)
            if not relayed:
                gas = chain.send(account_key("buyer"), "escrow", "purchaseWithPermit", [a, price, th, b"\x01" * 32, deadline, v, r, s])
                record("Purchase (permit)", False, gas, measured)
            else:
                nonce = chain.view("escrow", "intentNonces", [account_address("buyer")], ["uint256"])[0]
                sig = sign_intent(account_key("buyer"), "Purchase", {"account": account_address("buyer"), "nonce": nonce, "deadline": deadline,
                                  "listingId": a, "price": price, "termsHash": th, "buyerKey": b"\x01" * 32}, 31337, chain.address["escrow"])
                gas = chain.send(account_key("relayer"), "escrow", "purchaseWithPermitBySig",
                                 [account_address("buyer"), nonce, deadline, a, price, th, b"\x01" * 32, *compact(sig), deadline, v, r, s])
                record("Purchase (permit)", True, gas, measured)
            chain.send(account_key("buyer"), "token", "approve", [chain.address["escrow"], 2**256 - 1])
            pid_a = chain.view("escrow", "purchaseCount", [], ["uint256"])[0]
            record("Purchase", relayed, chain.act("Purchase", "buyer", {"listingId": b, "price": price, "termsHash": th, "buyerKey": b"\x02" * 32}, relayed), measured)
            pid_b = pid_a + 1
            chain.act("Purchase", "buyer", {"listingId": c, "price": price, "termsHash": th, "buyerKey": b"\x03" * 32}, relayed)
            pid_c = pid_b + 1
            sealed = b"\x5e" * 80
            record("Deliver", relayed, chain.act("Deliver", "seller", {"purchaseId": pid_a, "sealedKey": sealed}, relayed), measured)
            record("Accept", relayed, chain.act("Accept", "buyer", {"purchaseId": pid_a}, relayed), measured)
            chain.act("Deliver", "seller", {"purchaseId": pid_b, "sealedKey": sealed}, relayed)
            record("OpenDispute", relayed, chain.act("OpenDispute", "buyer", {"purchaseId": pid_b, "evidenceCid": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"}, relayed), measured)
            record("SubmitEvidence", relayed, chain.act("SubmitEvidence", "seller", {"purchaseId": pid_b, "evidenceCid": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvykv"}, relayed), measured)
            record("Rule", relayed, chain.act("Rule", "arbiter", {"purchaseId": pid_b, "buyerBps": 4000}, relayed), measured)
            record("SetPrice", relayed, chain.act("SetPrice", "seller", {"listingId": a, "price": price + 1}, relayed), measured)
            record("SetOperator", relayed, chain.act("SetOperator", "seller", {"operator": account_address("relayer"), "active": not relayed}, relayed), measured)
            record("OfferListing", relayed, chain.act("OfferListing", "seller", {"listingId": b, "to": account_address("collector"), "price": price}, relayed), measured)
            record("TakeListing", relayed, chain.act("TakeListing", "collector", {"listingId": b, "price": price}, relayed), measured)
            chain.wait(86_401)
            record("Reclaim", relayed, chain.act("Reclaim", "buyer", {"purchaseId": pid_c}, relayed), measured)
            record("Delist", relayed, chain.act("Delist", "seller", {"listingId": c}, relayed), measured)
    # Release after the acceptance deadline, on a purchase of its own.
    for relayed in (False, True):
        fields = mint_fields("qa", "bafybeigdyrztroot", manifest_cid(next(manifest)))
        fields["price"] = price
        chain.act("Mint", "seller", fields, False)
        lid = chain.view("registry", "totalSupply", [], ["uint256"])[0]
        chain.act("Purchase", "buyer", {"listingId": lid, "price": price, "termsHash": th, "buyerKey": b"\x04" * 32}, False)
        pid = chain.view("escrow", "purchaseCount", [], ["uint256"])[0]
        chain.act("Deliver", "seller", {"purchaseId": pid, "sealedKey": b"\x5e" * 80}, False)
        chain.wait(259_201)
        record("Release", relayed, chain.act("Release", "buyer", {"purchaseId": pid}, relayed), True)
    chain.server.shutdown()
    order = ["Mint", "Purchase (permit)", "Purchase", "Deliver", "Accept", "Release", "Reclaim", "OpenDispute",
             "SubmitEvidence", "Rule", "SetPrice", "OfferListing", "TakeListing", "SetOperator", "Delist"]
    return [(label, *rows[label]) for label in order]


def main() -> int:
    parser = argparse.ArgumentParser(description="Gas of each user action, direct and relayed.")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows = measure()
    if args.markdown:
        print("| action | direct | relayed | relayed − direct | target (direct) |")
        print("|---|---:|---:|---:|---:|")
    else:
        print(f"{'action':20} {'direct':>9} {'relayed':>9} {'extra':>7} {'target':>9}")
    for label, direct, relayed in rows:
        target = TARGETS.get(label)
        extra = relayed - direct if direct and relayed else None
        mark = "" if target is None else (" ok" if direct <= target else " OVER")
        if args.markdown:
            print(f"| {label} | {direct:,} | {relayed:,} | {extra:+,} | {f'{target:,}{mark}' if target else '—'} |")
        else:
            print(f"{label:20} {direct:>9,} {relayed:>9,} {extra:>+7,} {f'{target:,}{mark}' if target else '':>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
