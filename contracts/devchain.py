#!/usr/bin/env python3
"""A development EVM chain: py-evm (through eth-tester) behind a small HTTP JSON-RPC server that answers like a
standard node for what a client of Lightbox's contracts uses.

    python contracts/devchain.py --port 8545 [--chain-id 31337] [--block-time 0] [--key-file PATH]

prints one JSON line: {"url", "chain_id", "key_file", "address"} (a funded development key, written to key_file),
then serves until interrupted. `--block-time 0` mines one block per transaction as it arrives (block timestamps
grow by a second at least, so a burst of transactions runs the chain's clock ahead of the wall clock, as on any
instant-mining development node); `--block-time S` leaves transactions pending and mines them every S seconds, as a
real chain does (clients must poll receipts).

Fixed against eth-tester's quirks: eth_chainId and net_version agree; eth_feeHistory follows the block argument and
returns real base fees, ratios and rewards; receipts carry `to: null` for creations, `logsBloom`, and logs with
`removed`; eth_call/eth_estimateGas accept `input` or `data` and no block; reverts are code 3 with the revert data;
a nonce too low is refused with geth's text and one too high is held until the gap closes, as geth queues it; logs are indexed as blocks are mined. Development-only
methods (never needed by deploy.py): evm_mine, evm_snapshot, evm_revert, evm_increaseTime.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from eth_abi import decode as abi_decode, encode as abi_encode
from eth_account import Account
from eth_utils import keccak
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.exceptions import TransactionFailed, TransactionNotFound, BlockNotFound, ValidationError

DEV_KEY = "0x" + "00" * 31 + "01"  # eth-tester's first funded account
ZERO_BLOOM = "0x" + "00" * 256


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: str | None = None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


def quantity(value: int) -> str:
    return hex(value)


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def to_rpc(value):
    """eth-tester's snake_case dicts, ints and bytes to JSON-RPC's camelCase, quantities and data."""
    if isinstance(value, dict):
        return {camel(k): to_rpc(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_rpc(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return quantity(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value


def parse_int(value) -> int:
    if isinstance(value, int):
        return value
    return int(value, 16) if str(value).startswith("0x") else int(value)


def revert_error(failure) -> RpcError:
    """A revert as geth reports it: code 3, `data` = the revert data (the ABI-encoded Error(string) for a reason).

    eth-tester's TransactionFailed carries either the reason as text or the raw revert data (as bytes, as py-evm's
    Revert(bytes), or as the text of a bytes literal): the raw data is passed on as it is, a reason is encoded as Error(string)."""
    raw = failure.args[0] if failure.args else ""
    while isinstance(raw, BaseException):  # py-evm's Revert(bytes) inside eth-tester's TransactionFailed
        raw = raw.args[0] if raw.args else ""
    if isinstance(raw, str) and raw.startswith("execution reverted: "):
        raw = raw[len("execution reverted: "):]
    if isinstance(raw, str) and raw[:2] in ("b'", 'b"'):
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            pass
    if isinstance(raw, (bytes, bytearray)):
        data = bytes(raw)
        reason = data.hex()
        if data[:4] == bytes.fromhex("08c379a0"):
            try:
                reason = abi_decode(["string"], data[4:])[0]
            except Exception:
                pass
        return RpcError(3, f"execution reverted: {reason}" if data else "execution reverted", "0x" + data.hex())
    reason = str(raw)
    for prefix in ("execution reverted: ",):
        if reason.startswith(prefix):
            reason = reason[len(prefix):]
    data = "0x08c379a0" + abi_encode(["string"], [reason]).hex()
    return RpcError(3, f"execution reverted: {reason}", data)


def optimistic_gas_estimate(state, transaction) -> int:
    """geth's estimate: the gas a run at the block's limit used (before refunds, plus the call stipend and the 63/64 rule),
    checked by one more run; a binary search between that and the limit only when the check runs out of gas."""
    from eth.estimators.gas import binary_gas_search
    from eth.vm.spoof import SpoofTransaction
    snapshot = state.snapshot()
    try:
        computation = state.apply_transaction(SpoofTransaction(transaction, gas=state.gas_limit, gas_price=0))
        if computation.is_error:
            raise computation.error
        # The execution's gas before refunds (a transaction needs it all up front), plus the intrinsic gas.
        used = transaction.intrinsic_gas + computation.get_gas_used()
    finally:
        state.revert(snapshot)
    optimistic = min(state.gas_limit, (used + 2300) * 64 // 63)
    snapshot = state.snapshot()
    try:
        if not state.apply_transaction(SpoofTransaction(transaction, gas=optimistic, gas_price=0)).is_error:
            return optimistic
    finally:
        state.revert(snapshot)
    return binary_gas_search(state, transaction, tolerance=1000)


class DevChain:
    """The chain and its methods; thread-safe behind one lock."""

    def __init__(self, chain_id: int = 31337, block_time: float = 0.0):
        self.backend = PyEVMBackend()
        # On the chain's class, not only the instance: eth-tester makes new chain objects of the class (reverting to
        # a snapshot, mining with auto-mining off), which would otherwise run with its default chain id.
        chain_class = type(self.backend.chain)
        chain_class.chain_id = self.backend.chain.chain_id = chain_id
        # Estimate gas as geth does (core/gasestimator): one run at the block's gas limit, then the gas it used (with
        # the 63/64 reserve) tried once, and a search only if that falls short. py-evm's default search runs the
        # transaction a dozen times.
        chain_class.gas_estimator = staticmethod(optimistic_gas_estimate)
        self.backend.chain.gas_estimator = chain_class.gas_estimator
        self.tester = EthereumTester(self.backend)
        self.chain_id = chain_id
        self.lock = threading.RLock()
        self.logs: list[dict] = []
        # Transactions whose nonce is ahead of their sender's next one, held until the gap closes (as geth's
        # "queued" pool does): sender (lower case) -> nonce -> raw transaction.
        self.queued: dict[str, dict[int, str]] = {}
        self.indexed_upto = 0
        self.time_offset = 0
        self.block_time = block_time
        if block_time > 0:
            self.tester.disable_auto_mine_transactions()
            threading.Thread(target=self._miner, daemon=True).start()

    def _miner(self):
        while True:
            time.sleep(self.block_time)
            with self.lock:
                if self._pending():
                    self.tester.mine_blocks(1)
                    self._index()

    # ------------------------------------------------------------ log index

    def _latest(self) -> int:
        return self.tester.get_block_by_number("latest")["number"]

    def _index(self):
        latest = self._latest()
        for number in range(self.indexed_upto + 1, latest + 1):
            block = self.tester.get_block_by_number(number)
            for tx_hash in block["transactions"]:
                receipt = self.tester.get_transaction_receipt(tx_hash)
                for log in receipt["logs"]:
                    self.logs.append(self._log(log, block["timestamp"]))
        self.indexed_upto = latest

    @staticmethod
    def _log(log: dict, timestamp: int) -> dict:
        out = to_rpc({k: v for k, v in log.items() if k != "type"})
        out["removed"] = False
        out["blockTimestamp"] = quantity(timestamp)  # as geth (1.16+), Besu and Erigon return it (execution-apis #639)
        return out

    # ------------------------------------------------------------ dispatch

    def handle(self, method: str, params: list):
        fn = getattr(self, "rpc_" + method, None)
        if fn is None:
            raise RpcError(-32601, f"the method {method} does not exist/is not available")
        with self.lock:
            try:
                return fn(*params)
            except RpcError:
                raise
            except TransactionFailed as error:
                raise revert_error(error)
            except (TransactionNotFound, BlockNotFound):
                return None
            except (ValidationError, ValueError, TypeError, KeyError) as error:
                raise RpcError(-32602, f"invalid params: {error}")

    def _block_id(self, block) -> str | int:
        if block is None or block in ("latest", "safe", "finalized"):
            return "latest"
        if block in ("earliest", "pending"):
            return block
        return parse_int(block)

    # ------------------------------------------------------------ methods

    def rpc_web3_clientVersion(self):
        return "lightbox-devchain/1 (py-evm via eth-tester)"

    def rpc_eth_chainId(self):
        return quantity(self.chain_id)

    def rpc_net_version(self):
        return str(self.chain_id)

    def rpc_eth_blockNumber(self):
        return quantity(self._latest())

    def rpc_eth_accounts(self):
        return []

    def rpc_eth_getBalance(self, address, block="latest"):
        return quantity(self.tester.get_balance(address, self._block_id(block)))

    def rpc_eth_getCode(self, address, block="latest"):
        return to_rpc(self.tester.get_code(address, self._block_id(block)))

    def rpc_eth_getStorageAt(self, address, slot, block="latest"):
        return to_rpc(self.tester.get_storage_at(address, parse_int(slot), self._block_id(block)))

    def rpc_eth_getTransactionCount(self, address, block="latest"):
        block_id = self._block_id(block)
        nonce = self.tester.get_nonce(address, "latest")
        if block_id == "pending":
            nonce += sum(1 for tx in self._pending() if tx["from"].lower() == address.lower())
        elif block_id != "latest":
            nonce = self.tester.get_nonce(address, block_id)
        return quantity(nonce)

    def _pending(self) -> list[dict]:
        # Transactions sent but not mined yet (eth-tester keeps them aside while auto-mining is off).
        return list(getattr(self.tester, "_pending_transactions", []))

    def _call_object(self, call: dict) -> dict:
        tx = {}
        for key, target in (("from", "from"), ("to", "to"), ("gas", "gas"), ("value", "value"),
                            ("maxFeePerGas", "max_fee_per_gas"), ("maxPriorityFeePerGas", "max_priority_fee_per_gas"),
                            ("gasPrice", "gas_price")):
            if call.get(key) is not None:
                tx[target] = parse_int(call[key]) if key not in ("from", "to") else call[key]
        data = call.get("input") or call.get("data")
        if data:
            tx["data"] = data
        tx.setdefault("from", Account.from_key(DEV_KEY).address)
        return tx

    def rpc_eth_call(self, call, block="latest"):
        return to_rpc(self.tester.call(self._call_object(call), self._block_id(block)))

    def rpc_eth_estimateGas(self, call, block="latest"):
        try:
            return quantity(self.tester.estimate_gas(self._call_object(call), self._block_id(block)))
        except Exception as error:  # py-evm's own ValidationError, not eth-tester's
            if "cannot afford" in str(error) or "not have enough balance" in str(error):  # geth's text for a sender that cannot pay
                raise RpcError(-32000, f"insufficient funds for gas * price + value: {error}")
            raise

    def rpc_eth_gasPrice(self):
        return quantity(self._next_base_fee() + 10**9)

    def rpc_eth_maxPriorityFeePerGas(self):
        return quantity(10**9)

    def _next_base_fee(self) -> int:
        return self.backend.chain.get_block().header.base_fee_per_gas

    def rpc_eth_feeHistory(self, count, newest="latest", percentiles=None):
        count = max(1, min(parse_int(count), 1024))
        newest_n = self._latest() if self._block_id(newest) in ("latest", "pending") else parse_int(newest)
        oldest = max(0, newest_n - count + 1)
        base_fees, ratios, rewards = [], [], []
        for number in range(oldest, newest_n + 1):
            block = self.tester.get_block_by_number(number, full_transactions=True)
            base = block.get("base_fee_per_gas") or 0
            base_fees.append(quantity(base))
            ratios.append(block["gas_used"] / block["gas_limit"] if block["gas_limit"] else 0.0)
            if percentiles:
                tips = sorted(min(tx.get("max_priority_fee_per_gas", tx.get("gas_price", 0) - base),
                                  tx.get("max_fee_per_gas", tx.get("gas_price", 0)) - base)
                              for tx in block["transactions"] if isinstance(tx, dict)) or [0]
                rewards.append([quantity(max(0, tips[min(len(tips) - 1, int(len(tips) * p / 100))]))
                                for p in percentiles])
        next_base = self._next_base_fee() if newest_n == self._latest() else \
            self.tester.get_block_by_number(newest_n + 1).get("base_fee_per_gas", 0)
        base_fees.append(quantity(next_base))
        result = {"oldestBlock": quantity(oldest), "baseFeePerGas": base_fees, "gasUsedRatio": ratios}
        if percentiles:
            result["reward"] = rewards
        return result

    def rpc_eth_sendRawTransaction(self, raw):
        decoded = self._decode_raw(raw)
        sender = decoded["from"].lower()
        current = self._next_nonce(decoded["from"])
        if decoded["nonce"] < current:
            raise RpcError(-32000, "nonce too low")
        if decoded["nonce"] > current:
            self.queued.setdefault(sender, {})[decoded["nonce"]] = raw
            return "0x" + keccak(bytes.fromhex(raw[2:] if raw.startswith("0x") else raw)).hex()
        tx_hash = self._submit(raw)
        # The gap this transaction closed may free queued ones.
        waiting = self.queued.get(sender, {})
        while (nonce := self._next_nonce(decoded["from"])) in waiting:
            try:
                self._submit(waiting.pop(nonce))
            except RpcError:
                break
        return tx_hash

    def _next_nonce(self, address: str) -> int:
        return self.tester.get_nonce(address, "latest") + sum(
            1 for p in self._pending() if p["from"].lower() == address.lower())

    def _submit(self, raw: str) -> str:
        try:
            tx_hash = self.tester.send_raw_transaction(raw)
        except (ValidationError, Exception) as error:  # eth-tester's ValidationError, or py-evm's own
            if isinstance(error, TransactionFailed):
                raise
            text = str(error)
            if "cannot afford" in text or "not have enough balance" in text or "insufficient" in text.lower():
                raise RpcError(-32000, f"insufficient funds for gas * price + value: {text}")
            raise RpcError(-32000, text)
        self._index()
        return tx_hash

    @staticmethod
    def _decode_raw(raw: str) -> dict:
        from eth_account.typed_transactions import TypedTransaction
        from eth_account._utils.legacy_transactions import Transaction
        from hexbytes import HexBytes
        data = bytes.fromhex(raw[2:] if raw.startswith("0x") else raw)
        sender = Account.recover_transaction(data)
        if data[0] <= 0x7f:
            nonce = TypedTransaction.from_bytes(HexBytes(data)).as_dict()["nonce"]
        else:
            nonce = Transaction.from_bytes(data).nonce
        return {"from": sender, "nonce": nonce}

    def rpc_eth_getTransactionReceipt(self, tx_hash):
        receipt = self.tester.get_transaction_receipt(tx_hash)
        if receipt is None or receipt.get("block_number") is None:
            return None
        out = to_rpc({k: v for k, v in receipt.items() if k not in ("state_root", "logs")})
        out["to"] = receipt["to"] or None
        out["contractAddress"] = receipt["contract_address"]
        timestamp = self.tester.get_block_by_number(receipt["block_number"])["timestamp"]
        out["logs"] = [self._log(log, timestamp) for log in receipt["logs"]]
        out["logsBloom"] = ZERO_BLOOM
        out["type"] = receipt.get("type", "0x2")
        return out

    def rpc_eth_getTransactionByHash(self, tx_hash):
        tx = self.tester.get_transaction_by_hash(tx_hash)
        out = to_rpc(tx)
        if "to" in out and not out["to"]:
            out["to"] = None
        if "data" in out:
            out["input"] = out.pop("data")
        return out

    def rpc_eth_getBlockByNumber(self, block, full=False):
        block = self.tester.get_block_by_number(self._block_id(block), full_transactions=bool(full))
        out = to_rpc(block)
        out["logsBloom"] = ZERO_BLOOM
        return out

    def rpc_eth_getBlockByHash(self, block_hash, full=False):
        out = to_rpc(self.tester.get_block_by_hash(block_hash, full_transactions=bool(full)))
        out["logsBloom"] = ZERO_BLOOM
        return out

    def rpc_eth_getLogs(self, query):
        self._index()
        latest = self._latest()
        if query.get("blockHash"):
            block = self.tester.get_block_by_hash(query["blockHash"])
            lo = hi = block["number"]
        else:
            lo = 0 if query.get("fromBlock") in (None, "earliest") else (
                latest if query["fromBlock"] in ("latest", "pending", "safe", "finalized") else parse_int(query["fromBlock"]))
            hi = latest if query.get("toBlock") in (None, "latest", "pending", "safe", "finalized") else parse_int(query["toBlock"])
        addresses = query.get("address")
        if isinstance(addresses, str):
            addresses = [addresses]
        addresses = {a.lower() for a in addresses} if addresses else None
        topics = query.get("topics") or []
        result = []
        for log in self.logs:
            number = int(log["blockNumber"], 16)
            if number < lo or number > hi:
                continue
            if addresses and log["address"].lower() not in addresses:
                continue
            if not all(want is None or (log["topics"][i].lower() in ([want.lower()] if isinstance(want, str) else [w.lower() for w in want]))
                       for i, want in enumerate(topics) if i < len(log["topics"]) or want is None) or \
                    any(want is not None and i >= len(log["topics"]) for i, want in enumerate(topics)):
                continue
            result.append(log)
        return result

    # ------------------------------------------------------------ development-only methods

    def rpc_evm_mine(self, *args):
        self.tester.mine_blocks(1)
        self._index()
        return "0x0"

    def rpc_evm_snapshot(self):
        return quantity(self.tester.take_snapshot())

    def rpc_evm_revert(self, snapshot):
        self.tester.revert_to_snapshot(parse_int(snapshot))
        latest = self._latest()
        self.logs = [log for log in self.logs if int(log["blockNumber"], 16) <= latest]
        self.indexed_upto = min(self.indexed_upto, latest)
        return True

    def rpc_evm_increaseTime(self, seconds):
        block = self.tester.get_block_by_number("latest")
        target = block["timestamp"] + parse_int(seconds)
        self.tester.time_travel(target)
        # The chain's clock now runs that far ahead of the wall clock: later blocks keep to it.
        self.time_offset = max(self.time_offset, target - int(time.time()))
        self._index()
        return quantity(parse_int(seconds))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    chain: DevChain = None  # set by serve()

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def _reply(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._reply(200, json.dumps({"chain_id": self.chain.chain_id, "client": self.chain.rpc_web3_clientVersion()}).encode())

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"null")
        except json.JSONDecodeError:
            self._reply(200, json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}).encode())
            return
        if isinstance(request, list):
            response = [self._one(r) for r in request]
        else:
            response = self._one(request)
        self._reply(200, json.dumps(response).encode())

    def _one(self, request) -> dict:
        if not isinstance(request, dict) or "method" not in request:
            return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "invalid request"}}
        try:
            params = request.get("params") or []
            result = self.chain.handle(request["method"], params if isinstance(params, list) else [params])
            return {"jsonrpc": "2.0", "id": request.get("id"), "result": result}
        except RpcError as error:
            body = {"code": error.code, "message": error.message}
            if error.data is not None:
                body["data"] = error.data
            return {"jsonrpc": "2.0", "id": request.get("id"), "error": body}
        except Exception as error:  # a bug here must not take the server down
            return {"jsonrpc": "2.0", "id": request.get("id"), "error": {"code": -32603, "message": f"internal error: {error}"}}


def serve(host: str = "127.0.0.1", port: int = 8545, chain_id: int = 31337, block_time: float = 0.0):
    """Starts the server in a background thread; returns (server, url, chain)."""
    chain = DevChain(chain_id, block_time)
    handler = type("BoundHandler", (Handler,), {"chain": chain})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}", chain


def exit_with(parent: int) -> None:
    """Ends this process once `parent` has ended (this one is then re-parented)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main() -> int:
    parser = argparse.ArgumentParser(description="A development EVM chain behind JSON-RPC (py-evm via eth-tester).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8545, help="0 picks a free port")
    parser.add_argument("--chain-id", type=int, default=31337)
    parser.add_argument("--block-time", type=float, default=0.0, help="seconds between blocks; 0 mines each transaction at once")
    parser.add_argument("--key-file", help="where to write the funded development key (default: a temporary file)")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="exit when the process that started this one ends (a child chain never outlives its test or demo)")
    args = parser.parse_args()
    # A parent that blocks SIGTERM for its own handling (as a Swift service does) passes the mask on: unblock it, so
    # that the parent's terminate() stops this chain.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    if args.exit_with_parent:
        threading.Thread(target=exit_with, args=(os.getppid(),), daemon=True).start()
    try:
        server, url, chain = serve(args.host, args.port, args.chain_id, args.block_time)
    except OSError as error:
        print(f"devchain: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    key_file = args.key_file or os.path.join(tempfile.mkdtemp(prefix="lightbox-devchain-"), "dev.key")
    with open(key_file, "w") as f:
        f.write(DEV_KEY + "\n")
    os.chmod(key_file, 0o600)
    print(json.dumps({"url": url, "chain_id": args.chain_id, "key_file": key_file,
                      "address": Account.from_key(DEV_KEY).address}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
