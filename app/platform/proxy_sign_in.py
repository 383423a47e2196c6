"""The proxy sign-in a user asked to be remembered: in the keychain only (service = the
vendor's app id, entry ``proxy-sign-in``), never in a file; read and written off the UI thread."""

from __future__ import annotations

import json
import logging

import keyring
from keyring.errors import PasswordDeleteError

from app.domain.proxy_sign_in import ProxyCredentials
from app.platform.secrets import KEYCHAIN_ERRORS, is_usable_backend

log = logging.getLogger(__name__)

ENTRY = "proxy-sign-in"


class ProxySignInStore:
    """Remembers one proxy sign-in per app id. Failures are logged, never raised: a sign-in
    that is not remembered is asked for again, which is the honest fallback."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id

    def load(self) -> ProxyCredentials | None:
        if not self.available:
            return None
        try:
            raw = keyring.get_keyring().get_password(self.app_id, ENTRY)
        except KEYCHAIN_ERRORS as exc:
            log.warning("could not read the proxy sign-in: %s", type(exc).__name__)
            return None
        return _decode(raw)

    def save(self, credentials: ProxyCredentials) -> bool:
        """Remember ``credentials``; False when no keychain could keep them."""
        if not self.available:
            return False
        body = json.dumps({"username": credentials.username, "password": credentials.password})
        try:
            keyring.get_keyring().set_password(self.app_id, ENTRY, body)
        except KEYCHAIN_ERRORS as exc:
            log.warning("could not remember the proxy sign-in: %s", type(exc).__name__)
            return False
        return True

    def delete(self) -> None:
        if not self.available:
            return
        try:
            keyring.get_keyring().delete_password(self.app_id, ENTRY)
        except PasswordDeleteError:
            pass  # nothing was remembered
        except KEYCHAIN_ERRORS as exc:
            log.warning("could not forget the proxy sign-in: %s", type(exc).__name__)

    @property
    def available(self) -> bool:
        """True when a real keychain exists (no file fallback for a network password)."""
        return is_usable_backend(keyring.get_keyring())


def _decode(raw: str | None) -> ProxyCredentials | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return ProxyCredentials(str(data["username"]), str(data["password"]))
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring a damaged proxy sign-in entry")
        return None
