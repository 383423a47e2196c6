"""python -m app.standin: run the stand-in, or print its fixtures."""

from __future__ import annotations

import argparse
import json
import sys

from .limits import DOCUMENTED_LIMITS
from .seed import DEFAULT_SEED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.standin", description="Local Licentric-compatible server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=None, help="SQLite file (default: in memory)")
    parser.add_argument(
        "--seed",
        action="store_true",
        help="(re)seed the demo data even if the database already has it",
    )
    parser.add_argument(
        "--key-seed", default=DEFAULT_SEED, help="seed for keys in a new database (stored in it)"
    )
    parser.add_argument(
        "--print-fixtures", action="store_true", help="print scenario -> key JSON and exit"
    )
    parser.add_argument(
        "--relaxed-limits", action="store_true", help="effectively disable rate limits"
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a non-loopback --host: API keys are then made at random for the database "
        "and no fixture keys are printed",
    )
    args = parser.parse_args(argv)

    from .server import EMBEDDED_RATE_LIMITS, StandinServer, is_loopback

    if not args.public and not is_loopback(args.host):
        parser.error(f"--host {args.host} is not a loopback address; add --public to allow it")
    if args.public and args.print_fixtures:
        parser.error("--print-fixtures is not available with --public")
    limits = EMBEDDED_RATE_LIMITS if args.relaxed_limits else DOCUMENTED_LIMITS
    server = StandinServer(
        args.db,
        args.host,
        args.port,
        rate_limits=limits,
        key_seed=args.key_seed,
        log_level="info",
        public=args.public,
    )
    if args.seed:
        server.state.reseed()
    if args.print_fixtures:
        json.dump(server.fixtures, sys.stdout, indent=2)
        sys.stdout.write("\n")
        server.close()
        return 0
    server.start()
    print(f"Licentric stand-in on {server.url} (API {server.api_url})", flush=True)
    if args.public:
        # Only the operator's admin key, made at random for this database; no license keys.
        print(f"Admin API key for this database: {server.fixtures['apiKey']}", flush=True)
    else:
        print(json.dumps(server.fixtures, indent=2), flush=True)
    try:
        server._thread.join()  # noqa: SLF001 - until Ctrl+C
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
