"""The activation wizard for Licentric licenses."""

#: The one place the version is written; pyproject.toml reads it from here. Kept as a
#: literal so frozen builds (which may lack package metadata) and start-up (which should
#: not load importlib.metadata) both have it for free.
__version__ = "0.1.0"
