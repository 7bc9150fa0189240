# pragma version 0.4.3
# pragma evm-version cancun
"""
@title Lightbox LogAnchor
@notice Anchors an embedded Lightbox ledger to a chain: its node publishes the
        log's checkpoints (tree size and RFC 9162 root hash) here, in order,
        so that anyone holding the log can check it against every anchored
        checkpoint. A node that rewrote its history could not make its log
        agree with what it anchored before. The owner (snekmate ownable) is
        the node's account; only it anchors. Anchors are never changed.
"""

from snekmate.auth import ownable

initializes: ownable

exports: (
    ownable.owner,
    ownable.transfer_ownership,
    ownable.renounce_ownership,
)


struct Anchor:
    size: uint64
    root: bytes32
    time: uint64


event Anchored:
    index: indexed(uint256)
    size: uint64
    root: bytes32


# The log's origin line, as its checkpoints name it ("lightbox.ledger/<id>").
origin: public(String[128])
# Every checkpoint anchored, oldest first.
anchors: public(HashMap[uint256, Anchor])
anchor_count: public(uint256)


@deploy
def __init__(origin_: String[128]):
    ownable.__init__()
    assert len(origin_) > 0, "invalidArgument: the log's origin is empty"
    self.origin = origin_


@external
def anchor(size: uint64, root: bytes32):
    """
    @notice Records a checkpoint of the log: a tree of `size` entries whose root
            hash is `root`. Sizes only grow.
    """
    ownable._check_owner()
    assert root != empty(bytes32), "invalidArgument: a checkpoint's root is not empty"
    count: uint256 = self.anchor_count
    if count > 0:
        assert size > self.anchors[count - 1].size, "invalidState: the log was anchored at this size or later already"
    else:
        assert size > 0, "invalidArgument: a log holds at least its genesis entry"
    self.anchors[count] = Anchor(size=size, root=root, time=convert(block.timestamp, uint64))
    self.anchor_count = count + 1
    log Anchored(index=count, size=size, root=root)


@view
@external
def latest() -> Anchor:
    """
    @notice The last checkpoint anchored; zero size before the first.
    """
    count: uint256 = self.anchor_count
    if count == 0:
        return empty(Anchor)
    return self.anchors[count - 1]
