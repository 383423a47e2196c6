"""The vendor-side device relay: a small service holding a scoped Licentric API key that lets a
license holder (proving it with `Authorization: License <key>`) list and free their own devices
and check out offline files. A separate program: it imports nothing from the desktop app."""

from app.relay.limits import RelayLimits
from app.relay.scopes import RelayStartupError
from app.relay.server import RelayServer

__all__ = ["RelayLimits", "RelayServer", "RelayStartupError"]
