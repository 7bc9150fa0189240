"""Shared by the tests, the conformance runner and the gas report: accounts, EIP-712 intents, QA attestations,
licence terms, deploying the contracts with titanoboa, sending intents directly or relayed, reading revert reasons
and mapping the contracts' logs to the embedded ledger's event names."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from eth_abi import decode as abi_decode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address

CONTRACTS = Path(__file__).resolve().parents[1]
SRC = CONTRACTS / "src"
BUILD = CONTRACTS / "build"
ZERO = "0x" + "00" * 20

# ------------------------------------------------------------------ accounts


def account_key(name: str) -> bytes:
    """The conformance suite's key of an account named by a word."""
    return keccak(text="lightbox.conformance." + name)


def account_address(name: str) -> str:
    return Account.from_key(account_key(name)).address


# ------------------------------------------------------------------ intent types (LedgerAction.ownFields)

COMMON = [("account", "address"), ("nonce", "uint256"), ("deadline", "uint256")]
TERMS_FIELDS = [
    ("template", "string"), ("spdx", "string"), ("commercialUse", "bool"), ("aiTraining", "bool"),
    ("derivatives", "bool"), ("redistribution", "bool"), ("attribution", "bool"), ("seats", "uint256"),
    ("durationDays", "uint256"), ("territory", "string"),
]
OWN_FIELDS = {
    "SetOperator": [("operator", "address"), ("active", "bool")],
    "SetArbiter": [("arbiter", "address"), ("active", "bool")],
    "SetQASigner": [("signer", "address"), ("active", "bool")],
    "SetPlatformFee": [("feeBps", "uint256"), ("treasury", "address")],
    "Mint": [
        ("contentRoot", "string"), ("manifestCid", "string"), ("reportCid", "string"), ("reportHash", "bytes32"),
        ("score", "uint256"), ("passed", "bool"), ("qaSigner", "address"), ("attestation", "bytes"),
        ("terms", "Terms"), ("price", "uint256"), ("royaltyBps", "uint256"),
    ],
    "SetPrice": [("listingId", "uint256"), ("price", "uint256")],
    "SetPaused": [("listingId", "uint256"), ("paused", "bool")],
    "Delist": [("listingId", "uint256")],
    "OfferListing": [("listingId", "uint256"), ("to", "address"), ("price", "uint256")],
    "TakeListing": [("listingId", "uint256"), ("price", "uint256")],
    "Purchase": [("listingId", "uint256"), ("price", "uint256"), ("termsHash", "bytes32"), ("buyerKey", "bytes32")],
    "Deliver": [("purchaseId", "uint256"), ("sealedKey", "bytes")],
    "Accept": [("purchaseId", "uint256")],
    "Release": [("purchaseId", "uint256")],
    "Reclaim": [("purchaseId", "uint256")],
    "OpenDispute": [("purchaseId", "uint256"), ("evidenceCid", "string")],
    "SubmitEvidence": [("purchaseId", "uint256"), ("evidenceCid", "string")],
    "Rule": [("purchaseId", "uint256"), ("buyerBps", "uint256")],
}

# Which contract executes each intent, and its direct and relayed entry points.
ROUTES = {
    "SetOperator": ("registry", "setApprovalForAll", "setOperatorBySig"),
    "SetArbiter": ("governance", "setArbiter", "setArbiterBySig"),
    "SetQASigner": ("governance", "setQASigner", "setQASignerBySig"),
    "SetPlatformFee": ("governance", "setPlatformFee", "setPlatformFeeBySig"),
    "Mint": ("registry", "mint", "mintBySig"),
    "SetPrice": ("registry", "setPrice", "setPriceBySig"),
    "SetPaused": ("registry", "setPaused", "setPausedBySig"),
    "Delist": ("registry", "delist", "delistBySig"),
    "OfferListing": ("registry", "offerListing", "offerListingBySig"),
    "TakeListing": ("registry", "takeListing", "takeListingBySig"),
    "Purchase": ("escrow", "purchase", "purchaseBySig"),
    "Deliver": ("escrow", "deliver", "deliverBySig"),
    "Accept": ("escrow", "accept", "acceptBySig"),
    "Release": ("escrow", "release", "releaseBySig"),
    "Reclaim": ("escrow", "reclaim", "reclaimBySig"),
    "OpenDispute": ("escrow", "openDispute", "openDisputeBySig"),
    "SubmitEvidence": ("escrow", "submitEvidence", "submitEvidenceBySig"),
    "Rule": ("escrow", "rule", "ruleBySig"),
}

KINDS = [
    "expired", "replayed", "nonceGap", "badSignature", "unknown", "insufficientFunds", "unauthorised", "invalidState",
    "tooEarly", "tooLate", "invalidAttestation", "invalidArgument", "invalidIntent",
]


def intent_typed_data(type_: str, message: dict, chain_id: int, verifying_contract: str) -> dict:
    types = {
        "EIP712Domain": [
            {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
            {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"},
        ],
        type_: [{"name": n, "type": t} for n, t in COMMON + OWN_FIELDS[type_]],
    }
    if type_ == "Mint":
        types["Terms"] = [{"name": n, "type": t} for n, t in TERMS_FIELDS]
    return {
        "types": types, "primaryType": type_,
        "domain": {"name": "Lightbox", "version": "1", "chainId": chain_id, "verifyingContract": verifying_contract},
        "message": message,
    }


def sign_typed(key: bytes, typed: dict) -> bytes:
    return bytes(Account.sign_message(encode_typed_data(full_message=typed), key).signature)


def sign_intent(key: bytes, type_: str, message: dict, chain_id: int, verifying_contract: str) -> bytes:
    return sign_typed(key, intent_typed_data(type_, message, chain_id, verifying_contract))


def compact(signature: bytes) -> tuple[bytes, bytes]:
    """EIP-2098: a 65-byte signature r | s | v as the (r, vs) pair the `...BySig` functions take."""
    if len(signature) != 65:
        raise ValueError("a signature is 65 bytes")
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    if v not in (27, 28) or s >> 255:
        raise ValueError("not a canonical secp256k1 signature")
    return r, ((s | ((v - 27) << 255)).to_bytes(32, "big"))


# ------------------------------------------------------------------ licence terms and QA attestations

TEMPLATES = {
    "commercial": dict(template="commercial", spdx="", commercialUse=True, aiTraining=True, derivatives=True,
                       redistribution=False, attribution=False, seats=0, durationDays=0, territory="worldwide"),
    "research": dict(template="research", spdx="", commercialUse=False, aiTraining=True, derivatives=True,
                     redistribution=False, attribution=True, seats=10, durationDays=365, territory="worldwide"),
    "CC-BY-4.0": dict(template="CC-BY-4.0", spdx="CC-BY-4.0", commercialUse=True, aiTraining=True, derivatives=True,
                      redistribution=True, attribution=True, seats=0, durationDays=0, territory="worldwide"),
}


def terms_hash(terms: dict) -> bytes:
    typed = {
        "types": {"EIP712Domain": [], "Terms": [{"name": n, "type": t} for n, t in TERMS_FIELDS]},
        "primaryType": "Terms", "domain": {}, "message": terms,
    }
    # hashStruct(Terms): the last 32 bytes of the EIP-712 encoding are the message's struct hash.
    return bytes(encode_typed_data(full_message=typed).body)


def terms_tuple(terms: dict) -> tuple:
    return tuple(terms[n] for n, _ in TERMS_FIELDS)


def qa_typed_data(manifest_cid: str, report_cid: str, report_hash: bytes, score: int, passed: bool) -> dict:
    return {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}],
            "QAAttestation": [
                {"name": "manifestCid", "type": "string"}, {"name": "reportCid", "type": "string"},
                {"name": "reportHash", "type": "bytes32"}, {"name": "score", "type": "uint256"},
                {"name": "passed", "type": "bool"},
            ],
        },
        "primaryType": "QAAttestation",
        "domain": {"name": "Lightbox QA", "version": "1"},
        "message": {"manifestCid": manifest_cid, "reportCid": report_cid, "reportHash": report_hash,
                    "score": score, "passed": passed},
    }


def sign_attestation(key: bytes, manifest_cid: str, report_cid: str, report_hash: bytes, score: int,
                     passed: bool) -> bytes:
    return sign_typed(key, qa_typed_data(manifest_cid, report_cid, report_hash, score, passed))


def mint_fields(qa: str, content_root: str, manifest_cid: str, report_cid: str = "bafyreport", *,
                terms: dict | None = None, price: int = 100, royalty_bps: int = 500, score: int = 92,
                passed: bool = True, report_hash: bytes = b"\x11" * 32, signer_key: bytes | None = None) -> dict:
    """A Mint intent's own fields, with the attestation signed by the account named `qa` (or `signer_key`)."""
    attestation = sign_attestation(signer_key or account_key(qa), manifest_cid, report_cid, report_hash, score, passed)
    return {
        "contentRoot": content_root, "manifestCid": manifest_cid, "reportCid": report_cid,
        "reportHash": report_hash, "score": score, "passed": passed, "qaSigner": account_address(qa),
        "attestation": attestation, "terms": dict(terms or TEMPLATES["commercial"]), "price": price,
        "royaltyBps": royalty_bps,
    }


# ------------------------------------------------------------------ revert reasons

ERROR_SELECTOR = bytes.fromhex("08c379a0")


def revert_reason(output: bytes) -> str | None:
    """The reason string of ABI-encoded `Error(string)` revert data, or None."""
    if output[:4] == ERROR_SELECTOR:
        return abi_decode(["string"], output[4:])[0]
    return None


# Reverts that come from snekmate's modules rather than Lightbox's own checks.
SNEKMATE_KINDS = [
    ("pausable: contract is paused", "invalidState"),
    ("erc721: invalid token ID", "unknown"),
    ("erc721: caller is not token owner or approved", "unauthorised"),
    ("erc721: approve caller is not token owner", "unauthorised"),
    ("erc721:", "invalidArgument"),
    ("erc20: insufficient allowance", "insufficientFunds"),
    ("erc20: transfer amount exceeds balance", "insufficientFunds"),
    ("ownable: caller is not the owner", "unauthorised"),
    ("ownable_2step: caller is not the new owner", "unauthorised"),
]


def kind_of(reason: str | None, intent_type: str | None = None) -> str:
    """The embedded ledger's error kind of a revert reason."""
    if reason is None:
        return "invalidIntent"  # no reason: the call data did not decode (a field out of the chain's range)
    head = reason.split(":", 1)[0]
    if head in KINDS:
        return head
    if reason.startswith("ecdsa:"):
        return "invalidAttestation" if intent_type == "Mint" else "badSignature"
    for prefix, kind in SNEKMATE_KINDS:
        if reason.startswith(prefix):
            return kind
    raise AssertionError(f"a revert reason with no error kind: {reason!r}")


# ------------------------------------------------------------------ logs -> the embedded ledger's events

STATE_NAMES = {1: "awaitingDelivery", 2: "delivered", 3: "disputed", 4: "released", 5: "refunded", 6: "split"}
LICENCE_NAMES = {1: "active", 2: "expired", 3: "revoked"}


def load_abi(name: str) -> list:
    return json.loads((BUILD / f"{name}.json").read_text())["abi"]


def _abi_type(inp: dict) -> str:
    if inp["type"] == "tuple":
        return "(" + ",".join(_abi_type(c) for c in inp["components"]) + ")"
    return inp["type"]


@dataclass
class EventSpec:
    contract: str
    abi: dict

    @property
    def topic(self) -> bytes:
        return keccak(text=f"{self.abi['name']}(" + ",".join(_abi_type(i) for i in self.abi["inputs"]) + ")")


def decode_log(spec: EventSpec, topics: list[bytes], data: bytes) -> dict:
    indexed = [i for i in spec.abi["inputs"] if i["indexed"]]
    plain = [i for i in spec.abi["inputs"] if not i["indexed"]]
    values = {}
    for inp, topic in zip(indexed, topics[1:]):
        values[inp["name"]] = abi_decode([inp["type"]], topic)[0] if inp["type"] not in ("string", "bytes") else topic
    for inp, value in zip(plain, abi_decode([_abi_type(i) for i in plain], data)):
        values[inp["name"]] = value
    return values


def text(value) -> str:
    """A value as the conformance suite compares it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(value)


class LogMapper:
    """Maps the contracts' logs to the embedded ledger's events (`Contract.Name` and its fields as text).

    | log (contract.event)                 | embedded ledger event         | fields                                          |
    |--------------------------------------|-------------------------------|-------------------------------------------------|
    | Governance.ArbiterSet                | Governance.ArbiterSet         | arbiter, active                                 |
    | Governance.QASignerSet               | Governance.QASignerSet        | signer, active                                  |
    | Governance.PlatformFeeSet            | Governance.PlatformFeeSet     | feeBps, treasury                                |
    | DatasetRegistry.ApprovalForAll       | DatasetRegistry.ApprovalForAll| owner, operator, approved                       |
    | DatasetRegistry.ListingMinted        | DatasetRegistry.ListingMinted | as logged (+ qaSigner, reportHash)              |
    | DatasetRegistry.PriceChanged / ListingPaused / ListingDelisted / ListingOffered | same | as logged          |
    | DatasetRegistry.ListingTransferred   | same                          | sender -> from, receiver -> to                  |
    | Escrow.Purchased, Delivered, Accepted, EscrowReleased, EscrowRefunded, EscrowSplit, DisputeOpened | same | as logged |
    | Escrow.LicenceIssued                 | Licences.LicenceIssued        | expiresAt 0 -> "never"                          |
    | Escrow.LicenceRevoked                | Licences.LicenceRevoked       | as logged                                       |
    | Escrow.Evidence (ERC-1497)           | Escrow.Evidence               | _evidenceGroupID -> purchaseId, _party -> party, _evidence -> evidence, listingId = the purchase's |
    | Escrow.Ruling (ERC-792)              | Escrow.Ruling                 | _disputeID -> purchaseId, _arbitrator -> arbiter, _ruling -> buyerBps, fee = arbitrationFee, listingId = the purchase's |
    Other logs (ERC-20/721 Transfer and Approval, MetaEvidence, Dispute, MetadataUpdate) have no embedded event.
    """

    RENAME = {
        ("DatasetRegistry", "ListingTransferred"): {"sender": "from", "receiver": "to"},
    }

    def __init__(self, addresses: dict[str, str], escrow_lookup=None):
        """`addresses`: contract name -> address; `escrow_lookup(purchase_id) -> (listing_id, arbitration_fee)`."""
        self.by_address = {}
        for name, address in addresses.items():
            specs = {}
            for item in load_abi(name):
                if item["type"] == "event":
                    spec = EventSpec(name, item)
                    specs[spec.topic] = spec
            self.by_address[address.lower()] = (name, specs)
        self.escrow_lookup = escrow_lookup

    def map(self, address: str, topics: list[bytes], data: bytes) -> dict | None:
        entry = self.by_address.get(address.lower())
        if entry is None or not topics:
            return None
        contract, specs = entry
        spec = specs.get(bytes(topics[0]))
        if spec is None:
            return None
        values = decode_log(spec, topics, data)
        name = spec.abi["name"]
        if contract == "DevToken":
            return None
        if contract == "DatasetRegistry" and name in ("Transfer", "Approval", "MetaEvidence", "MetadataUpdate",
                                                       "RoleMinterChanged", "OwnershipTransferred", "Paused",
                                                       "Unpaused"):
            return None
        if contract == "Escrow" and name in ("Dispute", "MetaEvidence", "Paused", "Unpaused"):
            return None
        if contract == "Governance" and name in ("OwnershipTransferred", "OwnershipTransferStarted", "EscrowAttached"):
            return None
        fields = {}
        if contract == "Escrow" and name == "Evidence":
            listing, _ = self.escrow_lookup(values["_evidenceGroupID"])
            fields = {"purchaseId": values["_evidenceGroupID"], "listingId": listing, "party": values["_party"],
                      "evidence": values["_evidence"]}
        elif contract == "Escrow" and name == "Ruling":
            listing, fee = self.escrow_lookup(values["_disputeID"])
            fields = {"purchaseId": values["_disputeID"], "listingId": listing, "arbiter": values["_arbitrator"],
                      "buyerBps": values["_ruling"], "fee": fee}
        else:
            rename = self.RENAME.get((contract, name), {})
            fields = {rename.get(k, k): v for k, v in values.items()}
        if contract == "Escrow" and name in ("LicenceIssued", "LicenceRevoked"):
            contract = "Licences"
            if name == "LicenceIssued" and fields["expiresAt"] == 0:
                fields["expiresAt"] = "never"
        return {"event": f"{contract}.{name}", "args": {k: text(v) for k, v in fields.items()}}


# ------------------------------------------------------------------ deploying and acting with titanoboa

DEFAULT_PARAMETERS = {"platformFeeBps": 250, "arbitrationFee": 5 * 10**18, "deliveryPeriod": 86_400,
                      "acceptancePeriod": 259_200, "evidencePeriod": 172_800}

_DEPLOYERS: dict = {}


def deployer(name: str):
    import boa
    if name not in _DEPLOYERS:
        _DEPLOYERS[name] = boa.load_partial(str(SRC / f"{name}.vy"))
    return _DEPLOYERS[name]


class Refused(Exception):
    def __init__(self, reason: str | None, kind: str):
        super().__init__(f"{kind}: {reason}")
        self.reason = reason
        self.kind = kind


@dataclass
class Outcome:
    events: list[dict]
    result: object = None
    gas: int = 0


@dataclass
class Stack:
    """The four contracts on titanoboa's chain, with the named accounts of a scenario."""
    token: object
    governance: object
    registry: object
    escrow: object
    parameters: dict
    relayer: str = field(default_factory=lambda: account_address("relayer"))

    @classmethod
    def deploy(cls, parameters: dict | None = None, governance: str = "governance", treasury: str = "treasury"):
        import boa
        p = dict(DEFAULT_PARAMETERS, **{k: int(v) for k, v in (parameters or {}).items()})
        gov = account_address(governance)
        with boa.env.prank(gov):
            token = deployer("DevToken").deploy(10_000 * 10**18, 100_000 * 10**18)
            governance_c = deployer("Governance").deploy(p["platformFeeBps"], account_address(treasury))
            registry = deployer("DatasetRegistry").deploy(governance_c.address, token.address)
            escrow = deployer("Escrow").deploy(
                governance_c.address, registry.address, token.address, p["arbitrationFee"], p["deliveryPeriod"],
                p["acceptancePeriod"], p["evidencePeriod"])
            governance_c.attachEscrow(escrow.address)
        return cls(token, governance_c, registry, escrow, p)

    @property
    def addresses(self) -> dict[str, str]:
        return {"DevToken": str(self.token.address), "Governance": str(self.governance.address),
                "DatasetRegistry": str(self.registry.address), "Escrow": str(self.escrow.address)}

    def contract(self, role: str):
        return getattr(self, role)

    def fund(self, name_or_address: str, amount: int):
        import boa
        who = name_or_address if name_or_address.startswith("0x") else account_address(name_or_address)
        with boa.env.prank(self.governance.owner()):
            self.token.mint(who, amount)
        with boa.env.prank(who):
            self.token.approve(self.escrow.address, 2**256 - 1)
            self.token.approve(self.registry.address, 2**256 - 1)

    def mapper(self) -> LogMapper:
        def lookup(purchase_id):
            return self.escrow.purchaseListing(purchase_id), self.escrow.arbitrationFee()
        return LogMapper(self.addresses, lookup)

    def next_nonce(self, type_: str, account: str) -> int:
        return self.contract(ROUTES[type_][0]).intentNonces(account)

    @staticmethod
    def call_args(type_: str, fields: dict) -> list:
        args = []
        if type_ == "Mint":
            args.append(tuple(
                terms_tuple(fields["terms"]) if n == "terms" else fields[n] for n, _ in OWN_FIELDS["Mint"]))
        else:
            args.extend(fields[n] for n, _ in OWN_FIELDS[type_])
        return args

    def act(self, type_: str, name: str, fields: dict, *, relayed: bool = True, nonce: int | None = None,
            deadline: int | None = None, signer_key: bytes | None = None, key: bytes | None = None) -> Outcome:
        """Sends an intent: `relayed` signs it with the account's key (or `signer_key`) and submits it from the
        relayer; otherwise the account calls the contract itself. Raises Refused with the revert's kind."""
        import boa
        from boa.contracts.base_evm_contract import BoaError
        role, direct, by_sig = ROUTES[type_]
        contract = self.contract(role)
        account = name if name.startswith("0x") else account_address(name)
        key = key or (None if name.startswith("0x") else account_key(name))
        try:
            if relayed:
                if nonce is None:
                    nonce = contract.intentNonces(account)
                if deadline is None:
                    deadline = boa.env.evm.patch.timestamp + 3600
                message = dict(fields, account=account, nonce=nonce, deadline=deadline)
                signature = sign_intent(signer_key or key, type_, message, boa.env.evm.patch.chain_id,
                                        str(contract.address))
                with boa.env.prank(self.relayer):
                    result = getattr(contract, by_sig)(account, nonce, deadline, *self.call_args(type_, fields),
                                                       *compact(signature))
            else:
                with boa.env.prank(account):
                    result = getattr(contract, direct)(*self.call_args(type_, fields))
        except BoaError as error:
            reason = revert_reason(bytes(error.call_trace.output))
            raise Refused(reason, kind_of(reason, type_)) from None
        computation = contract._computation
        mapper = self.mapper()
        events = []
        for entry in sorted(computation.get_raw_log_entries()):
            _, address, topics, data = entry
            topics = [t.to_bytes(32, "big") if isinstance(t, int) else bytes(t) for t in topics]
            mapped = mapper.map(to_checksum_address(address), topics, bytes(data))
            if mapped is not None:
                events.append(mapped)
        return Outcome(events, result, computation.get_gas_used())
