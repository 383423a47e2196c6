"""The Licentric and relay clients: the only package that knows HTTP."""

from app.api.client import LicentricClient
from app.api.relay_client import RelayClient

__all__ = ["LicentricClient", "RelayClient"]
