"""Compressed answers: decoded as usual, but the size cap also bounds what a compressed body
expands to (a "zip bomb" is refused without ever holding the expanded bytes)."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib

import pytest

from app.api.http import MAX_BODY_BYTES
from app.domain.errors import UnexpectedResponseError
from tests.api.raw_server import raw_server, read_head

KEY = "DEMO-AAAA-BBBB-CCCC-DDDD"
ANSWER = json.dumps(
    {"data": {"valid": False, "code": "NOT_FOUND", "license": None, "machine": None}}
).encode()


def _serving(body: bytes, encoding: str, seen: list[bytes] | None = None):
    def handle(conn):
        head = read_head(conn)
        if seen is not None:
            seen.append(head)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: "
            + encoding.encode() + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
            + body
        )  # fmt: skip

    return handle


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(ANSWER)),
        ("deflate", zlib.compress(ANSWER)),
        ("deflate", zlib.compress(ANSWER)[2:-4]),  # raw deflate, as some servers send it
        ("identity", ANSWER),
    ],
    ids=["gzip", "deflate", "raw-deflate", "identity"],
)
def test_compressed_answers_are_decoded(make_client, encoding, body):
    seen: list[bytes] = []
    with raw_server(_serving(body, encoding, seen)) as port:
        client = make_client(base_url=f"http://127.0.0.1:{port}", max_retries=0)
        result = client.validate_key(KEY)
    assert (result.valid, result.code) == (False, "NOT_FOUND")
    assert b"accept-encoding: gzip, deflate\r\n" in seen[0].lower()


def test_a_gzip_bomb_is_refused_without_expanding_it(make_client):
    bomb = gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9)  # 256 MB in ~250 kB
    assert len(bomb) < MAX_BODY_BYTES
    with raw_server(_serving(bomb, "gzip")) as port:
        client = make_client(base_url=f"http://127.0.0.1:{port}", max_retries=0)
        tracemalloc.start()
        try:
            with pytest.raises(UnexpectedResponseError) as info:
                client.validate_key(KEY)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "larger than" in str(info.value)
    assert peak < 8 * MAX_BODY_BYTES  # never the 256 MB, nor a 64 kB chunk's worth expanded


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress"])
def test_an_encoding_we_did_not_ask_for_is_unexpected(make_client, encoding):
    with raw_server(_serving(b"\x8b\x00garbage", encoding)) as port:
        client = make_client(base_url=f"http://127.0.0.1:{port}", max_retries=0)
        with pytest.raises(UnexpectedResponseError):
            client.validate_key(KEY)


def test_a_damaged_gzip_body_is_unexpected(make_client):
    with raw_server(_serving(gzip.compress(ANSWER)[:-12] + b"\xff" * 12, "gzip")) as port:
        client = make_client(base_url=f"http://127.0.0.1:{port}", max_retries=0)
        with pytest.raises(UnexpectedResponseError):
            client.validate_key(KEY)
