# pragma version 0.4.3
"""
@title Relayed intents: EIP-712 signatures, sequential nonces and deadlines
@notice Every Lightbox action can be sent directly (the caller acts) or relayed:
        the account signs the embedded ledger's EIP-712 intent type
        (`Type(address account,uint256 nonce,uint256 deadline,...)`) under the
        domain {name: "Lightbox", version: "1", chainId, verifyingContract: the
        contract that executes it}, and anyone submits it and pays the gas.
        Checks, in the embedded ledger's order: deadline (`expired`), nonce
        (`replayed`, `nonceGap`), signature (`badSignature`). The nonce is
        sequential per account and per contract; direct calls do not use it.
        Signatures are EIP-2098 compact (`r`, `vs`): recovered with `ecrecover`
        for accounts with a key and, for contract accounts such as a multisig
        owner, checked with EIP-1271 (snekmate's signature_checker) in the
        standard 65-byte form.
"""

from snekmate.utils import ecdsa
from snekmate.utils import signature_checker
from snekmate.utils import eip712_domain_separator

uses: eip712_domain_separator

# secp256k1n / 2: signatures above it are malleable (EIP-2).
_HALF_N: constant(uint256) = 57_896_044_618_658_097_711_785_492_504_343_953_926_418_782_139_537_452_191_302_581_570_759_080_747_168

# The next nonce each account's relayed intent must carry.
intentNonces: public(HashMap[address, uint256])


@deploy
def __init__():
    pass


@internal
def _consume(account: address, nonce: uint256, deadline: uint256, struct_hash: bytes32, r: bytes32, vs: bytes32):
    """
    @dev Checks a relayed intent and uses up its nonce. The struct hash is the
         intent's `hashStruct`, which the caller computed from its fields; the
         signature is EIP-2098's compact form (`r`, and `s` with `v`'s parity in
         its top bit), 64 bytes of call data instead of a dynamic `bytes`.
    """
    assert block.timestamp <= deadline, "expired: the intent's deadline has passed; sign a new one"
    expected: uint256 = self.intentNonces[account]
    assert nonce >= expected, "replayed: the intent's nonce was already used"
    assert nonce == expected, "nonceGap: the intent's nonce skips ahead of the account's next nonce"
    digest: bytes32 = eip712_domain_separator._hash_typed_data_v4(struct_hash)
    assert self._signed_by(account, digest, r, vs), "badSignature: the intent is not signed by its account under this contract's domain"
    self.intentNonces[account] = unsafe_add(expected, 1)


@internal
@view
def _signed_by(account: address, digest: bytes32, r: bytes32, vs: bytes32) -> bool:
    # The key's signature is recovered first, so an account with a key costs no
    # code-size lookup. snekmate's ecdsa._try_recover_r_vs is not used here: it
    # reverts ("ecdsa: ...") where an intent must fail with `badSignature` or
    # fall through to EIP-1271.
    s: uint256 = convert(vs, uint256) & (2**255 - 1)
    v: uint256 = unsafe_add(convert(vs, uint256) >> 255, 27)
    if s <= _HALF_N:
        signer: address = ecrecover(digest, v, convert(r, uint256), s)
        if signer == account and signer != empty(address):
            return True
    if account.is_contract:
        # A contract account (a multisig) is asked with the standard 65-byte
        # form r | s | v of the same signature.
        return signature_checker._is_valid_ERC1271_signature_now(
            account, digest, concat(r, convert(s, bytes32), convert(convert(v, uint8), bytes1))
        )
    return False


@internal
@pure
def _recover(digest: bytes32, signature: Bytes[65]) -> address:
    """
    @dev The signer of `digest` (snekmate ecdsa), or the zero address for a
         signature of the wrong length, a wrong `v` or a malleable `s`.
    """
    if len(signature) != 65:
        return empty(address)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    r: uint256 = extract32(signature, 0, output_type=uint256)
    if (v != 27 and v != 28) or s > _HALF_N or r == 0 or s == 0:
        return empty(address)
    # A point that is not on the curve still reverts in snekmate's ecdsa
    # ("ecdsa: invalid signature").
    return ecdsa._recover_sig(digest, signature)
