# pragma version 0.4.3
# pragma evm-version cancun
"""
@title Lightbox development token (development chains only)
@notice snekmate ERC-20 with EIP-2612 permit, 18 decimals, and a faucet that
        gives any account up to FAUCET_LIMIT a call and ACCOUNT_LIMIT in all
        (the embedded ledger's Faucet). The owner (the deployer) mints with
        `mint`, as tests and the conformance runner do to fund accounts. A
        production deployment names a real ERC-20 instead of this one.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: (
    erc20.totalSupply,
    erc20.balanceOf,
    erc20.allowance,
    erc20.transfer,
    erc20.approve,
    erc20.transferFrom,
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.permit,
    erc20.nonces,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
    erc20.mint,
    erc20.set_minter,
    erc20.is_minter,
    erc20.burn,
    erc20.owner,
    erc20.transfer_ownership,
)

FAUCET_LIMIT: public(immutable(uint256))
ACCOUNT_LIMIT: public(immutable(uint256))
fauceted: public(HashMap[address, uint256])


@deploy
def __init__(faucet_limit: uint256, account_limit: uint256):
    ownable.__init__()
    erc20.__init__("Lightbox Dev Token", "LBXD", 18, "Lightbox Dev Token", "1")
    FAUCET_LIMIT = faucet_limit
    ACCOUNT_LIMIT = account_limit


@external
def faucet(amount: uint256):
    """
    @notice Mints `amount` to the caller, within the limits.
    """
    assert amount <= FAUCET_LIMIT, "invalidArgument: the faucet gives at most FAUCET_LIMIT tokens at a time"
    taken: uint256 = self.fauceted[msg.sender]
    assert taken + amount <= ACCOUNT_LIMIT, "invalidArgument: the faucet gives an account at most ACCOUNT_LIMIT tokens in all"
    self.fauceted[msg.sender] = taken + amount
    erc20._mint(msg.sender, amount)
