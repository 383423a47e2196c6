"""Reading an answer with a size cap that also bounds what a compressed body expands to.

httpx decodes gzip/deflate a whole network chunk at a time, so a small compressed "bomb" could
expand to hundreds of megabytes before any size check ran. Here the raw bytes are read under the
cap and decoded by zlib with an output limit, so at most MAX_BODY_BYTES + 1 bytes ever exist.
"""

from __future__ import annotations

import zlib

import httpx

from app.api.failures import RawResponse, unexpected

#: Licentric answers are a few kB; anything past this is not Licentric (or is an attack).
MAX_BODY_BYTES = 1024 * 1024
#: What we accept; sent as Accept-Encoding so no server has a reason to use anything else.
ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLargeError(Exception):
    """The answer (as sent, or as decoded) is larger than the cap."""


class _BoundedDecoder:
    """One content coding (gzip, deflate or identity) with an output limit."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        if coding in ("gzip", "x-gzip"):
            self._zlib: zlib._Decompress | None = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif coding in ("", "identity"):
            self._zlib = None
        else:
            raise ValueError(coding)
        self._first = True

    def decode(self, data: bytes, limit: int) -> bytes:
        """At most `limit` bytes of output; more pending raises BodyTooLargeError."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, limit)
        except zlib.error:
            if not (self._first and self.coding == "deflate"):
                raise
            # Some servers send raw deflate without the zlib header (httpx accepts it too).
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, limit)
        self._first = False
        if self._zlib.unconsumed_tail:
            raise BodyTooLargeError
        return out


def read_capped(response: httpx.Response, method: str, path: str) -> RawResponse:
    """The whole answer, decoded; UnexpectedResponseError when it is (or expands) too large."""
    chunks: list[bytes] = []
    problem: str | None = None
    try:
        chunks = _read(response)
    except BodyTooLargeError:
        problem = f"answer larger than {MAX_BODY_BYTES} bytes"
    except ValueError as exc:
        problem = f"unsupported content encoding {str(exc)[:40]!r}"
    except zlib.error:
        problem = "answer's compressed body is damaged"
    raw = RawResponse(method, path, response.status_code, response.headers, b"".join(chunks))
    if problem is not None:
        raise unexpected(raw, problem)
    return raw


def _read(response: httpx.Response) -> list[bytes]:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLargeError
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",")]
    # Codings are listed in the order they were applied: undo them from the last.
    decoders = [_BoundedDecoder(c) for c in reversed(codings) if c not in ("", "identity")]
    chunks: list[bytes] = []
    size = raw_size = 0
    for data in response.iter_raw():
        raw_size += len(data)
        if raw_size > MAX_BODY_BYTES:
            raise BodyTooLargeError
        for decoder in decoders:
            data = decoder.decode(data, MAX_BODY_BYTES + 1 - size)
        size += len(data)
        if size > MAX_BODY_BYTES:
            raise BodyTooLargeError
        chunks.append(data)
    return chunks
