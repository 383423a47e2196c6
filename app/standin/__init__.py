"""Local Licentric-compatible server for the demo and the tests (a separate program)."""

from .server import StandinServer

__all__ = ["StandinServer"]
