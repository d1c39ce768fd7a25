"""The service's key format, checked locally so a mistyped key fails before any request."""

from __future__ import annotations

import re
import zlib

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_KEY_SHAPE = re.compile(r"^tt_[0-9A-Za-z]{32}$")
_CHECKSUM_LENGTH = 6


def _base62(value: int) -> str:
    out = ""
    while True:
        value, digit = divmod(value, 62)
        out = _BASE62[digit] + out
        if value == 0:
            return out.rjust(_CHECKSUM_LENGTH, "0")


def is_well_formed_api_key(key: str) -> bool:
    """``tt_`` + 26 base62 characters + the CRC-32 (as zlib computes it) of those 29 characters in base62, 6 wide."""
    if not isinstance(key, str) or not _KEY_SHAPE.match(key):
        return False
    body = key[:-_CHECKSUM_LENGTH]
    return _base62(zlib.crc32(body.encode("ascii"))) == key[-_CHECKSUM_LENGTH:]
