"""deploy.py against a real EVM (py-evm through eth-tester) behind contracts/devchain.py's JSON-RPC server, with
blocks mined on a timer so that receipts must be polled; and deploy.py's refusals of bad input."""
import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from eth_abi import decode, encode
from eth_utils import keccak

CONTRACTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONTRACTS))
import devchain  # noqa: E402


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    server, url, dev = devchain.serve(port=0, block_time=0.1)
    key_file = tmp_path_factory.mktemp("keys") / "dev.key"
    key_file.write_text(devchain.DEV_KEY + "\n")
    yield url, key_file
    server.shutdown()


def rpc(url, method, *params):
    request = urllib.request.Request(url, json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                                                      "params": list(params)}).encode(),
                                     {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read())


def deploy(*args):
    return subprocess.run([sys.executable, str(CONTRACTS / "deploy.py"), *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def view(url, to, signature, types=("address",), args=(), arg_types=()):
    data = "0x" + keccak(text=signature)[:4].hex() + encode(list(arg_types), list(args)).hex()
    result = rpc(url, "eth_call", {"to": to, "data": data}, "latest")["result"]
    return decode(list(types), bytes.fromhex(result[2:]))


def test_deploys_and_wires_everything(chain):
    url, key_file = chain
    result = deploy("--rpc-url", url, "--private-key-file", key_file, "--dev")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for key in ("payment_token", "registry", "licences", "escrow", "governance"):
        assert out[key].startswith("0x") and len(out[key]) == 42
    assert out["chain_id"] == 31337
    owner = out["owner"]
    assert view(url, out["governance"], "owner()")[0].lower() == owner.lower()
    assert view(url, out["registry"], "GOVERNANCE()")[0].lower() == out["governance"].lower()
    assert view(url, out["escrow"], "PAYMENT_TOKEN()")[0].lower() == out["payment_token"].lower()
    assert view(url, out["registry"], "supportsInterface(bytes4)", ("bool",), [bytes.fromhex("2a55205a")],
                ["bytes4"])[0] is True
    # A second deployment naming the first one's token as a real ERC-20.
    again = deploy("--rpc-url", url, "--private-key-file", key_file, "--payment-token", out["payment_token"])
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["payment_token"].lower() == out["payment_token"].lower()


def test_a_revert_comes_back_with_its_data(chain):
    url, _ = chain
    # estimateGas of a Governance deployment with a fee above 50 %: code 3 and Error(string) data, as geth answers.
    art = json.loads((CONTRACTS / "build" / "Governance.json").read_text())
    data = art["bytecode"] + encode(["uint256", "address"], [6000, "0x" + "11" * 20]).hex()
    reply = rpc(url, "eth_estimateGas", {"from": "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", "data": data})
    assert reply["error"]["code"] == 3
    assert bytes.fromhex(reply["error"]["data"][2:])[:4] == bytes.fromhex("08c379a0")
    assert "invalidArgument" in reply["error"]["message"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("args,message", [
    (["--rpc-url", "http://127.0.0.1:{port}", "--private-key-file", "{key}", "--dev"], "cannot reach"),
    (["--rpc-url", "{url}", "--private-key-file", "/nonexistent/key", "--dev"], "cannot read the private key file"),
    (["--rpc-url", "{url}", "--private-key-file", "{key}"], "--payment-token"),
    (["--rpc-url", "{url}", "--private-key-file", "{key}", "--dev", "--chain-id", "1"], "not chain 1"),
    (["--rpc-url", "{url}", "--private-key-file", "{key}", "--payment-token", "0x" + "42" * 20], "no contract"),
    (["--rpc-url", "ftp://example", "--private-key-file", "{key}", "--dev"], "http"),
    (["--rpc-url", "{url}", "--private-key-file", "{badkey}", "--dev"], "does not hold"),
])
def test_bad_input_is_refused_with_a_reason(chain, tmp_path, args, message):
    url, key_file = chain
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n")
    filled = [a.format(port=free_port(), key=key_file, url=url, badkey=bad) for a in args]
    result = deploy(*filled)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
