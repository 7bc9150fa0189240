"""The committed artifacts are what the sources compile to with the recorded compiler and EVM version, and every
deployable contract fits EIP-170's size limit."""
import json
import sys
from pathlib import Path

import pytest

CONTRACTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONTRACTS))
import build  # noqa: E402


@pytest.mark.parametrize("name", build.CONTRACTS)
def test_artifact_matches_a_fresh_compile(name):
    artifact = build.load_artifact(name)
    assert set(artifact) >= {"abi", "bytecode", "compiler", "evm_version"}
    assert artifact["compiler"] == "vyper " + build.compiler_version(), "the artifact was built by another compiler"
    fresh = build.compile_contract(name, artifact["evm_version"])
    assert artifact["sources_sha256"] == fresh["sources_sha256"], "the sources changed: run python contracts/build.py"
    assert artifact["abi"] == fresh["abi"]
    assert artifact["bytecode"] == fresh["bytecode"], "the bytecode differs: run python contracts/build.py"


def test_runtime_code_fits_eip170():
    import boa
    for name in build.CONTRACTS:
        deployer = boa.load_partial(str(CONTRACTS / "src" / f"{name}.vy"))
        # The runtime code plus room for the immutables appended at deployment.
        assert len(deployer.compiler_data.bytecode_runtime) < 24_576 - 800, name
