"""The vendor-side device relay: a small service holding a scoped Licentric API key that lets a
license holder (proving it with `Authorization: License <key>`) see their license and list and
free their own devices. A separate program: it imports nothing from the desktop app."""

from app.relay.scopes import RelayStartupError
from app.relay.server import RelayServer
from app.relay.settings import RelayLimits

__all__ = ["RelayLimits", "RelayServer", "RelayStartupError"]
