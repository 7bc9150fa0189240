"""LogAnchor: an embedded ledger's checkpoints anchored on a chain, in order, by its node alone, never changed."""
import boa
import pytest

from lightbox import account_address, deployer

ROOT_A = bytes.fromhex("11" * 32)
ROOT_B = bytes.fromhex("22" * 32)


@pytest.fixture
def anchor():
    with boa.env.anchor():
        boa.env.evm.patch.timestamp = 1_767_225_600
        with boa.env.prank(account_address("node")):
            yield deployer("LogAnchor").deploy("lightbox.ledger/test-ledger")


def reverts_with(reason_start: str, call):
    with pytest.raises(Exception) as raised:
        call()
    assert reason_start in str(raised.value), str(raised.value)


def test_the_node_anchors_checkpoints_in_order_and_each_is_kept(anchor):
    node = account_address("node")
    assert anchor.owner() == node and anchor.origin() == "lightbox.ledger/test-ledger"
    assert anchor.anchor_count() == 0 and anchor.latest() == (0, b"\0" * 32, 0)
    with boa.env.prank(node):
        anchor.anchor(5, ROOT_A)
    logs = anchor.get_logs()
    assert [(type(log).__name__, log.index, log.size, log.root) for log in logs] == [("Anchored", 0, 5, ROOT_A)]
    boa.env.evm.patch.timestamp += 60
    with boa.env.prank(node):
        anchor.anchor(9, ROOT_B)
    assert anchor.anchor_count() == 2
    assert anchor.anchors(0) == (5, ROOT_A, 1_767_225_600)
    assert anchor.anchors(1) == (9, ROOT_B, 1_767_225_660)
    assert anchor.latest() == (9, ROOT_B, 1_767_225_660)


def test_only_the_owner_anchors_and_sizes_only_grow(anchor):
    node = account_address("node")
    with boa.env.prank(account_address("stranger")):
        reverts_with("ownable: caller is not the owner", lambda: anchor.anchor(5, ROOT_A))
    with boa.env.prank(node):
        reverts_with("invalidArgument", lambda: anchor.anchor(0, ROOT_A))
        reverts_with("invalidArgument", lambda: anchor.anchor(5, b"\0" * 32))
        anchor.anchor(5, ROOT_A)
        reverts_with("invalidState", lambda: anchor.anchor(5, ROOT_B))
        reverts_with("invalidState", lambda: anchor.anchor(4, ROOT_B))
    assert anchor.anchor_count() == 1 and anchor.anchors(0) == (5, ROOT_A, 1_767_225_600)


def test_a_log_without_an_origin_is_refused():
    with pytest.raises(Exception) as raised:
        deployer("LogAnchor").deploy("")
    assert "invalidArgument" in str(raised.value)
