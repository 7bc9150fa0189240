#!/usr/bin/env python3
"""Deploys Lightbox's contracts to any standard Ethereum JSON-RPC endpoint and wires them together.

    python contracts/deploy.py --rpc-url URL --private-key-file F [--payment-token ADDRESS] [--dev] [options]

Uses the committed artifacts in contracts/build/ (no compiler), raw JSON-RPC, and EIP-1559 transactions signed with
eth-account: nonce from eth_getTransactionCount(pending), fees from eth_feeHistory and eth_maxPriorityFeePerGas
(with fallbacks), gas from eth_estimateGas, receipts polled until a timeout and their status checked. Prints one
JSON object of addresses: payment_token, governance, registry, licences (the Escrow keeps the licences), escrow.
Without --dev a real ERC-20 must be named with --payment-token; with --dev and no token, the development token is
deployed too. The deployer becomes governance (the owner); hand it to a multisig with transfer_ownership and
accept_ownership afterwards.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_utils import is_address, keccak, to_checksum_address

BUILD = Path(__file__).resolve().parent / "build"


class DeployError(Exception):
    pass


class Rpc:
    def __init__(self, url: str, timeout: float = 30.0):
        self.url, self.timeout, self.next_id = url, timeout, 1

    def __call__(self, method: str, *params):
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": list(params)}).encode()
        self.next_id += 1
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise DeployError(f"{self.url} answered {method} with HTTP {error.code}: {error.reason}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise DeployError(f"cannot reach the JSON-RPC endpoint {self.url}: {reason}") from None
        except json.JSONDecodeError:
            raise DeployError(f"{self.url} did not answer {method} with JSON: is it a JSON-RPC endpoint?") from None
        if "error" in reply and reply["error"]:
            error = reply["error"]
            raise DeployError(f"{method} failed: {error.get('message')} (code {error.get('code')})"
                              + (f", data {error['data']}" if error.get("data") else ""))
        return reply.get("result")


def artifact(name: str) -> dict:
    path = BUILD / f"{name}.json"
    try:
        return json.loads(path.read_text())
    except OSError:
        raise DeployError(f"the artifact {path} is missing: run python contracts/build.py") from None


def constructor_data(art: dict, args: list) -> str:
    ctor = next((i for i in art["abi"] if i["type"] == "constructor"), {"inputs": []})
    types = [i["type"] for i in ctor["inputs"]]
    return art["bytecode"] + abi_encode(types, args).hex()


def call_data(signature: str, types: list[str], args: list) -> str:
    return "0x" + keccak(text=signature)[:4].hex() + abi_encode(types, args).hex()


class Deployer:
    def __init__(self, rpc: Rpc, key: str, chain_id: int, receipt_timeout: float, poll: float = 0.5):
        self.rpc, self.account, self.chain_id = rpc, Account.from_key(key), chain_id
        self.receipt_timeout, self.poll = receipt_timeout, poll

    def fees(self) -> tuple[int, int]:
        """(maxFeePerGas, maxPriorityFeePerGas): twice the next base fee plus the tip."""
        try:
            history = self.rpc("eth_feeHistory", "0x5", "latest", [50])
            base = int(history["baseFeePerGas"][-1], 16)
        except (DeployError, KeyError, IndexError, TypeError, ValueError):
            block = self.rpc("eth_getBlockByNumber", "latest", False) or {}
            base = int(block.get("baseFeePerGas") or self.rpc("eth_gasPrice"), 16)
        try:
            tip = int(self.rpc("eth_maxPriorityFeePerGas"), 16)
        except DeployError:
            tip = 10**9
        return 2 * base + tip, tip

    def send(self, to: str | None, data: str, what: str) -> dict:
        sender = self.account.address
        nonce = int(self.rpc("eth_getTransactionCount", sender, "pending"), 16)
        call = {"from": sender, "data": data}
        if to:
            call["to"] = to
        try:
            gas = int(self.rpc("eth_estimateGas", call), 16)
        except DeployError as error:
            raise DeployError(f"{what} would fail: {error}") from None
        max_fee, tip = self.fees()
        tx = {"type": 2, "chainId": self.chain_id, "nonce": nonce, "maxFeePerGas": max_fee,
              "maxPriorityFeePerGas": tip, "gas": gas * 12 // 10 + 10_000, "value": 0, "data": data}
        if to:
            tx["to"] = to
        raw = self.account.sign_transaction(tx).raw_transaction
        tx_hash = self.rpc("eth_sendRawTransaction", "0x" + bytes(raw).hex())
        deadline = time.monotonic() + self.receipt_timeout
        while True:
            receipt = self.rpc("eth_getTransactionReceipt", tx_hash)
            if receipt and receipt.get("blockNumber"):
                break
            if time.monotonic() > deadline:
                raise DeployError(f"{what}: transaction {tx_hash} was not mined within {self.receipt_timeout:.0f} s "
                                  "(it may still be pending; check the fee and the node)")
            time.sleep(self.poll)
        if int(receipt["status"], 16) != 1:
            raise DeployError(f"{what}: transaction {tx_hash} reverted (status 0)")
        return receipt

    def deploy(self, name: str, args: list) -> str:
        receipt = self.send(None, constructor_data(artifact(name), args), f"deploying {name}")
        address = receipt.get("contractAddress")
        if not address:
            raise DeployError(f"deploying {name}: the receipt names no contract address")
        code = self.rpc("eth_getCode", address, "latest")
        if not code or code == "0x":
            raise DeployError(f"deploying {name}: no code at {address} after deployment")
        return to_checksum_address(address)

    def view(self, to: str, signature: str) -> str:
        return self.rpc("eth_call", {"to": to, "data": call_data(signature, [], [])}, "latest")


def read_key(path: str) -> str:
    try:
        text = Path(path).read_text().strip()
    except OSError as error:
        raise DeployError(f"cannot read the private key file {path}: {error.strerror}") from None
    key = text if text.startswith("0x") else "0x" + text
    try:
        Account.from_key(key)
    except Exception:
        raise DeployError(f"{path} does not hold a secp256k1 private key (64 hex digits)") from None
    return key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Deploy Lightbox's contracts to a JSON-RPC chain.")
    parser.add_argument("--rpc-url", required=True)
    parser.add_argument("--private-key-file", required=True)
    parser.add_argument("--payment-token", help="the ERC-20 the marketplace takes (required without --dev)")
    parser.add_argument("--dev", action="store_true", help="a development chain: deploy the development token when no --payment-token is given")
    parser.add_argument("--chain-id", type=int, help="refuse to deploy unless the endpoint's chain id is this")
    parser.add_argument("--treasury", help="where platform fees go (default: the deployer)")
    parser.add_argument("--platform-fee-bps", type=int, default=250)
    parser.add_argument("--arbitration-fee", type=int, default=5 * 10**18, help="in the payment token's units")
    parser.add_argument("--delivery-period", type=int, default=86_400)
    parser.add_argument("--acceptance-period", type=int, default=259_200)
    parser.add_argument("--evidence-period", type=int, default=172_800)
    parser.add_argument("--faucet-limit", type=int, default=10_000 * 10**18)
    parser.add_argument("--faucet-account-limit", type=int, default=100_000 * 10**18)
    parser.add_argument("--receipt-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    try:
        print(json.dumps(run(args)))
        return 0
    except DeployError as error:
        print(f"deploy: {error}", file=sys.stderr)
        return 1


def run(args) -> dict:
    if not args.rpc_url.startswith(("http://", "https://")):
        raise DeployError(f"--rpc-url must be an http:// or https:// JSON-RPC endpoint, not {args.rpc_url!r}")
    if not args.dev and not args.payment_token:
        raise DeployError("name the ERC-20 the marketplace takes with --payment-token (only --dev deploys the development token)")
    for flag, value in (("--payment-token", args.payment_token), ("--treasury", args.treasury)):
        if value and not is_address(value):
            raise DeployError(f"{flag} {value!r} is not an address")
    if not 0 <= args.platform_fee_bps <= 5000:
        raise DeployError("--platform-fee-bps is at most 5000 (50 %)")
    key = read_key(args.private_key_file)
    rpc = Rpc(args.rpc_url)
    chain_id = int(rpc("eth_chainId"), 16)
    if args.chain_id is not None and chain_id != args.chain_id:
        raise DeployError(f"{args.rpc_url} is chain {chain_id}, not chain {args.chain_id}")
    d = Deployer(rpc, key, chain_id, args.receipt_timeout)
    balance = int(rpc("eth_getBalance", d.account.address, "latest"), 16)
    if balance == 0:
        raise DeployError(f"the deployer {d.account.address} has no ether on chain {chain_id} to pay for gas")
    if args.payment_token:
        token = to_checksum_address(args.payment_token)
        if rpc("eth_getCode", token, "latest") in (None, "0x", "0x0"):
            raise DeployError(f"no contract at the payment token address {token} on chain {chain_id}")
    else:
        token = d.deploy("DevToken", [args.faucet_limit, args.faucet_account_limit])
    treasury = to_checksum_address(args.treasury) if args.treasury else d.account.address
    governance = d.deploy("Governance", [args.platform_fee_bps, treasury])
    registry = d.deploy("DatasetRegistry", [governance, token])
    escrow = d.deploy("Escrow", [governance, registry, token, args.arbitration_fee, args.delivery_period,
                                 args.acceptance_period, args.evidence_period])
    # Governance pushes platform-fee changes to the Escrow, which captures the rate at purchase.
    d.send(governance, call_data("attachEscrow(address)", ["address"], [escrow]), "Governance.attachEscrow")
    # Check the wiring as deployed.
    for contract, signature, want in ((registry, "GOVERNANCE()", governance), (escrow, "REGISTRY()", registry),
                                      (escrow, "PAYMENT_TOKEN()", token), (escrow, "GOVERNANCE()", governance),
                                      (governance, "escrow()", escrow)):
        got = to_checksum_address("0x" + d.view(contract, signature)[-40:])
        if got != want:
            raise DeployError(f"{contract}.{signature} is {got}, expected {want}")
    return {"chain_id": chain_id, "payment_token": token, "governance": governance, "registry": registry,
            "licences": escrow, "escrow": escrow, "owner": d.account.address, "treasury": treasury,
            "development_token": not args.payment_token}


if __name__ == "__main__":
    sys.exit(main())
