"""`python -m app.relay --upstream URL`: the vendor-side device relay as a program."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from app.relay.offline_signing import OfflineSigner
from app.relay.server import RelayServer, RelayStartupError
from app.relay.settings import RelayLimits

API_KEY_ENV = "RELAY_API_KEY"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m app.relay",
        description="Device relay: lets license holders see their license and free their devices.",
        epilog=f"The upstream API key comes from ${API_KEY_ENV} or --api-key-file, never argv.",
    )
    parser.add_argument("--upstream", required=True, help="Licentric origin, e.g. https://x.y")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--api-key-file", type=Path, help="file holding the Bearer API key")
    parser.add_argument("--api-key", help=argparse.SUPPRESS)
    parser.add_argument(
        "--trusted-proxy", action="append", default=[], metavar="ADDRESS[/BITS]",
        help="a proxy whose X-Forwarded-For is believed (repeatable; none by default)",
    )  # fmt: skip
    parser.add_argument(
        "--redis-url", metavar="URL",
        help="share caches, limits and budget through this Redis (redis://host:port/db)",
    )  # fmt: skip
    defaults = RelayLimits()
    parser.add_argument("--bearer-budget", type=int, default=defaults.bearer_budget,
                        help="upstream API-key calls per minute (default %(default)s)")
    parser.add_argument("--activation-budget", type=int, default=defaults.activation_budget,
                        help="upstream activations per minute (default %(default)s)")
    parser.add_argument("--limit-concurrency", type=int, default=defaults.limit_concurrency,
                        help="connections and requests at once before 503 (default %(default)s)")
    parser.add_argument("--receive-timeout", type=float, default=defaults.receive_timeout,
                        help="seconds a request may take to arrive (default %(default)s)")
    parser.add_argument(
        "--offline-signing-key-file", type=Path, metavar="FILE",
        help="the vendor's Ed25519 private key (unencrypted PKCS#8 PEM) that signs offline "
        "license files; without it the offline page is off",
    )  # fmt: skip
    parser.add_argument("--key-case", choices=("as-typed", "upper"), default=defaults.key_case,
                        help="'upper' when license keys are case-insensitive (the wizard's "
                        "key_case): a key typed on the offline page is sent in upper case")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.api_key is not None:
        # A key on the command line shows in `ps` and shell history for every local user.
        parser.error(f"--api-key is refused: set ${API_KEY_ENV} or use --api-key-file")
    return args


def read_api_key(args: argparse.Namespace, environ: dict[str, str] | os._Environ[str]) -> str:
    """The API key from --api-key-file, else the environment; RelayStartupError when neither."""
    if args.api_key_file is not None:
        try:
            key = args.api_key_file.read_text(encoding="utf-8").strip()
        except OSError as err:
            raise RelayStartupError(f"Cannot read --api-key-file: {err.strerror}") from err
    else:
        key = environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise RelayStartupError(f"No API key: set ${API_KEY_ENV} or pass --api-key-file FILE")
    return key


def limits_from(args: argparse.Namespace) -> RelayLimits:
    try:
        return RelayLimits(
            bearer_budget=args.bearer_budget,
            activation_budget=args.activation_budget,
            limit_concurrency=args.limit_concurrency,
            receive_timeout=args.receive_timeout,
            key_case=args.key_case,
        )
    except ValueError as err:
        raise RelayStartupError(str(err)) from err


def offline_signer_from(args: argparse.Namespace) -> OfflineSigner | None:
    """The offline signing key from its file (never argv); None when no file is named."""
    if args.offline_signing_key_file is None:
        return None
    return OfflineSigner.from_pem_file(args.offline_signing_key_file)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        server = RelayServer(
            args.upstream, read_api_key(args, os.environ), args.host, args.port,
            limits_from(args), trusted_proxies=args.trusted_proxy, redis_url=args.redis_url,
            offline_signer=offline_signer_from(args),
        )  # fmt: skip
        server.serve_forever(on_ready=lambda url: _announce(url, server.upstream))
    except RelayStartupError as err:
        print(f"relay: {err}", file=sys.stderr)
        return 2
    return 0


def _announce(url: str, upstream: str) -> None:
    print(f"relay: serving {url} for {upstream}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
