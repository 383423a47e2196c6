"""The offline request code: what a computer without internet asks the relay for (never the key).

A request holds this computer's fingerprint, its device name, its platform and the product
(the vendor's ``app_id``). It travels as text the user copies, as a file, or inside a QR code
that opens the relay's ``/offline`` page with the code in the URL fragment (browsers never send
a fragment to the server, so it stays out of access logs).

Layout before encoding (version 1)::

    version(1) platform(1) fingerprint(33 or 1+n) name(1+n) product(1+n)
    [count(1) entitlement(1+n)...] checksum(4)

The bracketed part is there only when the vendor requires entitlements: their codes, so the
relay refuses a license that lacks one before it takes a seat (the wizard checks the file
again in any case). A relay from before it refuses such a code as incomplete.

A 64-hex fingerprint (py-machineid's hashed id) packs into 32 bytes behind a 0x00 tag;
anything else is stored as text behind its length. Each text is UTF-8 behind a one-byte
length. The checksum is the first 4 bytes of SHA-256 over everything before it, so a code cut
short or mistyped is refused instead of activating a wrong fingerprint. The bytes are
URL-safe base64 without padding behind the prefix ``AW1-``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from app.domain.models import Platform

PREFIX = "AW1-"
VERSION = 1
MAX_TEXT_BYTES = 255
MAX_ENTITLEMENTS = 16
MAX_CODE_LENGTH = 1200  # longer input is not a request code; refuse before decoding
_CHECKSUM_BYTES = 4
_HEX_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
_TAG_HEX, _TAG_TEXT = 0, 1
_PLATFORMS = tuple(Platform)
_UNKNOWN_PLATFORM = 0xFF
_WHITESPACE = re.compile(r"\s+")
FRAGMENT_NAME = "r"


class RequestCodeError(ValueError):
    """The text is not a well-formed request code; ``reason`` says which check failed."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class OfflineRequest:
    """What a computer without internet asks for: an activation of this fingerprint."""

    fingerprint: str
    device_name: str
    product: str
    platform: Platform | None = None
    required_entitlements: tuple[str, ...] = ()  # codes the product needs (vendor config)


def encode_request(request: OfflineRequest) -> str:
    """The request code for ``request``; texts longer than 255 UTF-8 bytes are shortened."""
    body = bytearray([VERSION, _platform_byte(request.platform)])
    body += _fingerprint_bytes(request.fingerprint)
    body += _text_bytes(request.device_name)
    body += _text_bytes(request.product)
    required = request.required_entitlements[:MAX_ENTITLEMENTS]
    if required:
        body += bytes([len(required)]) + b"".join(_text_bytes(code) for code in required)
    body += hashlib.sha256(body).digest()[:_CHECKSUM_BYTES]
    return PREFIX + base64.urlsafe_b64encode(bytes(body)).decode("ascii").rstrip("=")


def decode_request(text: str) -> OfflineRequest:
    """The request in ``text`` (whitespace and line breaks anywhere are ignored).

    Raises RequestCodeError with reason ``format`` (not a request code at all), ``checksum``
    (damaged or mistyped), ``version`` (made by a newer wizard) or ``content`` (well-formed
    but holds no usable fingerprint, name or product).
    """
    raw = _raw_bytes(text)
    body, checksum = raw[:-_CHECKSUM_BYTES], raw[-_CHECKSUM_BYTES:]
    if hashlib.sha256(body).digest()[:_CHECKSUM_BYTES] != checksum:
        raise RequestCodeError("request code checksum does not match", reason="checksum")
    if body[0] != VERSION:
        raise RequestCodeError(f"request code version {body[0]} is unknown", reason="version")
    reader = _Reader(body, 1)
    platform = _platform_from(reader.byte())
    fingerprint = reader.fingerprint()
    name, product = reader.text(), reader.text()
    required = () if reader.at_end() else tuple(reader.text() for _ in range(reader.byte()))
    if not reader.at_end() or not (fingerprint and name.strip() and product.strip()):
        raise RequestCodeError("request code content is incomplete", reason="content")
    return OfflineRequest(fingerprint, name, product, platform, required)


def offline_url(relay_url: str, code: str) -> str:
    """The relay's offline page with ``code`` in the fragment (never in the query string)."""
    return f"{relay_url.rstrip('/')}/offline#{FRAGMENT_NAME}={quote(code, safe='-_')}"


def looks_like_request(text: str) -> bool:
    """True when ``text`` starts like a request code (a user pasted the request, not the file)."""
    return text.strip().upper().startswith(PREFIX)


def _raw_bytes(text: str) -> bytes:
    if not isinstance(text, str) or len(text) > MAX_CODE_LENGTH:
        raise RequestCodeError("not a request code", reason="format")
    compact = _WHITESPACE.sub("", text)
    if not compact.upper().startswith(PREFIX):
        raise RequestCodeError("request code prefix missing", reason="format")
    encoded = compact[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError) as err:
        raise RequestCodeError("request code is not base64", reason="format") from err
    if len(raw) < 2 + _CHECKSUM_BYTES:
        raise RequestCodeError("request code is too short", reason="checksum")
    return raw


def _platform_byte(platform: Platform | None) -> int:
    return _PLATFORMS.index(platform) if platform in _PLATFORMS else _UNKNOWN_PLATFORM


def _platform_from(value: int) -> Platform | None:
    return _PLATFORMS[value] if value < len(_PLATFORMS) else None


def _fingerprint_bytes(fingerprint: str) -> bytes:
    if _HEX_FINGERPRINT.match(fingerprint):
        return bytes([_TAG_HEX]) + bytes.fromhex(fingerprint)
    return bytes([_TAG_TEXT]) + _text_bytes(fingerprint)


def _text_bytes(text: str) -> bytes:
    data = text.encode("utf-8")
    if len(data) > MAX_TEXT_BYTES:
        data = data[:MAX_TEXT_BYTES].decode("utf-8", errors="ignore").encode("utf-8")
    return bytes([len(data)]) + data


class _Reader:
    """Reads the length-prefixed fields of a checksummed body; RequestCodeError when short."""

    def __init__(self, data: bytes, offset: int) -> None:
        self._data, self._pos = data, offset

    def byte(self) -> int:
        return self.take(1)[0]

    def take(self, count: int) -> bytes:
        if self._pos + count > len(self._data):
            raise RequestCodeError("request code ends early", reason="content")
        chunk = self._data[self._pos : self._pos + count]
        self._pos += count
        return chunk

    def text(self) -> str:
        try:
            return self.take(self.byte()).decode("utf-8")
        except UnicodeDecodeError as err:
            raise RequestCodeError("request code text is not UTF-8", reason="content") from err

    def fingerprint(self) -> str:
        tag = self.byte()
        if tag == _TAG_HEX:
            return self.take(32).hex()
        if tag == _TAG_TEXT:
            return self.text()
        raise RequestCodeError(f"unknown fingerprint tag {tag}", reason="content")

    def at_end(self) -> bool:
        return self._pos == len(self._data)
