#!/usr/bin/env python3
"""Compiles the deployable contracts into build/<Name>.json (abi, bytecode, compiler, evm_version).

The artifacts are committed so that deploying needs no compiler; tests/test_build.py recompiles with the recorded
settings and fails when anything differs.

    python contracts/build.py           # write the artifacts
    python contracts/build.py --check   # exit 1 when an artifact is out of date
"""
import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
BUILD = HERE / "build"
CONTRACTS = ["DevToken", "Governance", "DatasetRegistry", "Escrow"]
EVM_VERSION = "cancun"


def vyper_command() -> list[str]:
    return [sys.executable, "-m", "vyper"]


def compiler_version() -> str:
    out = subprocess.run(vyper_command() + ["--version"], check=True, capture_output=True, text=True).stdout
    return out.strip()


def sources_digest() -> str:
    """The SHA-256 of every source file (contracts, modules, interfaces), so an artifact names what it was built from."""
    h = hashlib.sha256()
    for path in sorted(SRC.glob("*.vy*")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def compile_contract(name: str, evm_version: str = EVM_VERSION) -> dict:
    out = subprocess.run(
        vyper_command() + ["-f", "abi,bytecode", "--evm-version", evm_version, str(SRC / f"{name}.vy")],
        check=True, capture_output=True, text=True, cwd=SRC,
    ).stdout.splitlines()
    return {
        "contractName": name,
        "abi": json.loads(out[0]),
        "bytecode": out[1].strip(),
        "compiler": "vyper " + compiler_version(),
        "evm_version": evm_version,
        "sources_sha256": sources_digest(),
    }


def artifact_path(name: str) -> Path:
    return BUILD / f"{name}.json"


def load_artifact(name: str) -> dict:
    return json.loads(artifact_path(name).read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    stale = []
    for name in CONTRACTS:
        artifact = compile_contract(name)
        text = json.dumps(artifact, indent=1, sort_keys=True) + "\n"
        if args.check:
            if not artifact_path(name).exists() or artifact_path(name).read_text() != text:
                stale.append(name)
        else:
            artifact_path(name).write_text(text)
            print(f"{artifact_path(name).relative_to(HERE.parent)}: {len(artifact['bytecode']) // 2 - 1} bytes")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python contracts/build.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
