"""The proxy sign-in of this session: used for every request once given, remembered in the
keychain only when the user ticked the box. Keychain calls: never on the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from app.domain.proxy_sign_in import ProxyCredentials
from app.platform.proxy_sign_in import ProxySignInStore

log = logging.getLogger(__name__)


class ProxyAware(Protocol):
    def use_proxy_credentials(self, credentials: ProxyCredentials | None) -> None: ...


class ProxySignInService:
    """Holds the sign-in (``current``) and hands it to the clients when it changes."""

    def __init__(
        self,
        app_id: str,
        client: ProxyAware,
        credentials: ProxyCredentials | None = None,
        store: ProxySignInStore | None = None,
    ) -> None:
        self.current = credentials
        self._client = client
        self._store = store or ProxySignInStore(app_id)
        self._listeners: list[Callable[[], None]] = []

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after the sign-in changed (the relay client starts over)."""
        self._listeners.append(listener)

    @property
    def can_remember(self) -> bool:
        """True when a keychain exists to remember a sign-in (no file fallback for it)."""
        return self._store.available

    def remembered(self) -> ProxyCredentials | None:
        """The sign-in remembered earlier (keychain), or None."""
        return self._store.load()

    def use_remembered(self) -> bool:
        """Use the remembered sign-in, if any; True when there was one."""
        credentials = self.remembered()
        if credentials is not None:
            self._apply(credentials)
        return credentials is not None

    def use(self, credentials: ProxyCredentials, *, remember: bool) -> bool:
        """Sign in with ``credentials`` from the next request on. ``remember`` keeps them in
        the keychain (else any remembered one is forgotten); returns True when remembered."""
        self._apply(credentials)
        if remember:
            return self._store.save(credentials)
        self._store.delete()
        return False

    def forget(self) -> None:
        """Stop signing in and forget the remembered sign-in (a wrong password, say)."""
        self._store.delete()
        self._apply(None)

    def _apply(self, credentials: ProxyCredentials | None) -> None:
        self.current = credentials
        self._client.use_proxy_credentials(credentials)
        for listener in self._listeners:
            listener()
        log.info("proxy sign-in %s", "set" if credentials else "cleared")
