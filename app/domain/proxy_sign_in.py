"""A proxy sign-in (user name and password): the password never shows in ``repr``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProxyCredentials:
    """What a proxy that answers 407 wants: a user name and its password."""

    username: str
    password: str = field(repr=False)
