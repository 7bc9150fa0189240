"""The conformance runner: every scenario in contracts/conformance/scenarios/ against the Vyper contracts, relayed
(the account signs, the relayer submits) and, when the scenario asks for no signature-level fault, also direct.
The format is contracts/conformance/README.md's."""
import json
import re
from pathlib import Path

import boa
import pytest

from lightbox import (
    LICENCE_NAMES, OWN_FIELDS, ROUTES, STATE_NAMES, TEMPLATES, ZERO, Refused, Stack, account_address, account_key,
    sign_attestation, terms_hash,
)

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "conformance" / "scenarios").glob("*.json"))
FAULTS = ("nonce", "deadline", "signer")


def has_faults(scenario: dict) -> bool:
    return any(any(f in step for f in FAULTS) for step in scenario["steps"])


def cases():
    for path in SCENARIOS:
        scenario = json.loads(path.read_text())
        yield pytest.param(path, "relayed", id=f"{path.stem}-relayed")
        if not has_faults(scenario):
            yield pytest.param(path, "direct", id=f"{path.stem}-direct")


def names_in(value, found: set):
    """Every account named `@name` anywhere in a value."""
    if isinstance(value, str) and value.startswith("@"):
        found.add(value[1:])
    elif isinstance(value, dict):
        for v in value.values():
            names_in(v, found)
    elif isinstance(value, list):
        for v in value:
            names_in(v, found)


class Runner:
    def __init__(self, scenario: dict, mode: str):
        self.scenario = scenario
        self.mode = mode
        self.terms = {name: dict(t) for name, t in scenario.get("terms", {}).items()}
        self.funded = {name: int(v) for name, v in scenario.get("fund", {}).items()}
        names = {"governance", "treasury"} | set(self.funded)
        for step in scenario["steps"]:
            if "as" in step:
                names.add(step["as"])
            names_in(step, names)
            att = step.get("with", {}).get("attestation")
            if isinstance(att, dict):
                names.add(att["signer"])
        names_in(scenario.get("end", {}), names)
        names |= set(scenario.get("end", {}).get("balances", {}))
        self.names = sorted(names)
        self.last_nonce = {}  # account -> (contract role, nonce) of its last relayed intent

    # ------------------------------------------------------------ values

    def value(self, value, type_: str):
        if isinstance(value, str) and value.startswith("@"):
            return account_address(value[1:])
        if type_ == "address":
            return value
        if type_ == "uint256":
            return int(value)
        if type_ == "bool":
            return value if isinstance(value, bool) else str(value).lower() == "true"
        if type_ in ("bytes32", "bytes"):
            if type_ == "bytes32" and isinstance(value, str) and not value.startswith("0x"):
                return terms_hash(self.named_terms(value))
            raw = bytes.fromhex(value[2:] if value.startswith("0x") else value)
            assert type_ == "bytes" or len(raw) == 32, f"{value} is not 32 bytes"
            return raw
        return value

    def named_terms(self, name: str) -> dict:
        if name in self.terms:
            return self.terms[name]
        return dict(TEMPLATES[name])

    def fields(self, type_: str, given: dict) -> dict:
        if type_ == "Mint":
            att = given["attestation"]
            report_hash = self.value(att["reportHash"], "bytes32")
            score, passed = int(att["score"]), bool(att["passed"])
            signature = sign_attestation(account_key(att["signer"]), att["manifestCid"], att["reportCid"], report_hash,
                                         score, passed)
            terms = given["terms"]
            return {
                "contentRoot": given["contentRoot"], "manifestCid": att["manifestCid"], "reportCid": att["reportCid"],
                "reportHash": report_hash, "score": score, "passed": passed, "qaSigner": account_address(att["signer"]),
                "attestation": signature, "terms": self.named_terms(terms) if isinstance(terms, str) else terms,
                "price": int(given["price"]), "royaltyBps": int(given["royaltyBps"]),
            }
        return {n: self.value(given[n], t) for n, t in OWN_FIELDS[type_]}

    # ------------------------------------------------------------ state

    def balances(self) -> dict:
        return {n: self.stack.token.balanceOf(account_address(n)) for n in self.names}

    def escrow_balance(self) -> int:
        return self.stack.token.balanceOf(self.stack.escrow.address)

    def snapshot(self):
        nonces = {(role, n): self.stack.contract(role).intentNonces(account_address(n))
                  for role in ("governance", "registry", "escrow") for n in self.names}
        return self.balances(), self.escrow_balance(), nonces, self.stack.registry.totalSupply(), \
            self.stack.escrow.purchaseCount()

    def check_conservation(self, where: str):
        total = sum(self.balances().values()) + self.escrow_balance()
        assert total == sum(self.funded.values()), f"{where}: tokens not conserved ({total} != funded)"

    # ------------------------------------------------------------ running

    def run(self):
        s = self.scenario
        boa.env.evm.patch.timestamp = int(s.get("start", 1767225600))
        self.stack = Stack.deploy(s.get("parameters"))
        for name, amount in self.funded.items():
            self.stack.fund(name, amount)
        for index, step in enumerate(s["steps"]):
            where = f"step {index + 1}"
            if "wait" in step:
                boa.env.evm.patch.timestamp += int(step["wait"])
                continue
            self.step(step, where)
            self.check_conservation(where)
        self.check_end(s.get("end", {}))

    def step(self, step: dict, where: str):
        type_, name = step["do"], step["as"]
        assert type_ in ROUTES, f"{where}: unknown intent type {type_}"
        fields = self.fields(type_, step.get("with", {}))
        expect = step.get("expect", {})
        role = ROUTES[type_][0]
        account = account_address(name)
        options = {}
        now = boa.env.evm.patch.timestamp
        if self.mode == "relayed":
            nonce = self.stack.contract(role).intentNonces(account)
            if step.get("nonce") == "reuse":
                assert name in self.last_nonce, f"{where}: {name} has no earlier intent to reuse the nonce of"
                last_role, nonce = self.last_nonce[name]
                assert last_role == role, f"{where}: the reused nonce was {name}'s intent to the {last_role}, not the {role}"
            elif step.get("nonce") == "skip":
                nonce += 1
            options["nonce"] = nonce
            options["deadline"] = now - 1 if step.get("deadline") == "expired" else int(step.get("deadline", now + 3600))
            if "signer" in step:
                options["signer_key"] = account_key(step["signer"])
        before = self.snapshot()
        try:
            outcome = self.stack.act(type_, name, fields, relayed=self.mode == "relayed", **options)
        except Refused as refusal:
            assert "refused" in expect, f"{where}: {type_} by {name} was refused: {refusal.reason}"
            assert refusal.kind == expect["refused"], \
                f"{where}: refused as {refusal.kind} ({refusal.reason}), expected {expect['refused']}"
            assert self.snapshot() == before, f"{where}: a refused step changed the state"
            return
        assert "refused" not in expect, f"{where}: {type_} by {name} succeeded; expected {expect['refused']}"
        if self.mode == "relayed":
            self.last_nonce[name] = (role, options["nonce"])
        self.check_events(expect.get("events", []), outcome.events, where)

    def check_events(self, expected: list, actual: list, where: str):
        position = 0
        for want in expected:
            args = {k: self.expected_text(v) for k, v in want.get("args", {}).items()}
            while position < len(actual):
                got = actual[position]
                position += 1
                if got["event"] == want["event"] and all(
                        same(got["args"].get(k), v) for k, v in args.items()):
                    break
            else:
                raise AssertionError(f"{where}: no {want['event']} with {args} in order among {actual}")

    def expected_text(self, value) -> str:
        if isinstance(value, str) and value.startswith("@"):
            return account_address(value[1:])
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def check_end(self, end: dict):
        for name, amount in end.get("balances", {}).items():
            got = self.stack.token.balanceOf(account_address(name))
            assert got == int(amount), f"end: {name} holds {got}, expected {amount}"
        if "escrow" in end:
            assert self.escrow_balance() == int(end["escrow"]), f"end: escrow holds {self.escrow_balance()}"
        for listing_id, want in end.get("listings", {}).items():
            owner, creator, price, paused, delisted, *_ = self.stack.registry.listing(int(listing_id))
            got = {"owner": owner, "creator": creator, "price": price, "paused": paused, "delisted": delisted}
            for key, value in want.items():
                assert same(text_of(got[key]), self.expected_text(value)), \
                    f"end: listing {listing_id} {key} is {got[key]}, expected {value}"
        for purchase_id, state in end.get("purchases", {}).items():
            got = STATE_NAMES.get(self.stack.escrow.escrowState(int(purchase_id)))
            assert got == state, f"end: purchase {purchase_id} is {got}, expected {state}"
        for purchase_id, status in end.get("licences", {}).items():
            got = LICENCE_NAMES.get(self.stack.escrow.licenceStatus(int(purchase_id)))
            assert got == status, f"end: licence {purchase_id} is {got}, expected {status}"


def text_of(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


HEX = re.compile(r"^(0x)?[0-9a-fA-F]+$")


def same(got, want: str) -> bool:
    """Compared as text: hex (addresses, hashes) without regard to case or a 0x prefix."""
    if got is None:
        return False
    if HEX.match(got) and HEX.match(want) and (got.startswith("0x") or want.startswith("0x")):
        return got.lower().removeprefix("0x") == want.lower().removeprefix("0x")
    return got == want


def test_scenarios_exist():
    assert len(SCENARIOS) >= 17


@pytest.mark.parametrize("path,mode", list(cases()))
def test_scenario(path, mode):
    scenario = json.loads(path.read_text())
    with boa.env.anchor():
        Runner(scenario, mode).run()
