import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lightbox import Refused, Stack, account_address, mint_fields  # noqa: E402


@pytest.fixture
def stack():
    """Governance with a QA signer and an arbiter, a funded buyer and seller, and one listing (id 1, price 100)."""
    import boa
    with boa.env.anchor():
        boa.env.evm.patch.timestamp = 1_767_225_600
        s = Stack.deploy()
        for name in ("buyer", "seller", "buyer2", "collector"):
            s.fund(name, 1_000 * 10**18)
        s.act("SetQASigner", "governance", {"signer": account_address("qa"), "active": True}, relayed=False)
        s.act("SetArbiter", "governance", {"arbiter": account_address("arbiter"), "active": True}, relayed=False)
        s.act("Mint", "seller", mint_fields("qa", "bafyroot", "bafymanifest", price=100 * 10**18), relayed=False)
        yield s


def refused(kind: str, call, *args, **kwargs) -> str:
    """Runs an action that must be refused with `kind`; returns the revert reason."""
    try:
        call(*args, **kwargs)
    except Refused as refusal:
        assert refusal.kind == kind, f"refused as {refusal.kind} ({refusal.reason}), expected {kind}"
        return refusal.reason
    raise AssertionError(f"not refused; expected {kind}")
