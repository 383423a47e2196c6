"""The one error tree: every failure the product can meet, as a typed exception.

Low-level causes (httpx, keyring, OSError) are translated once, at the edge that meets
them, into one of these classes with the cause kept in ``__cause__``. Each class (or its
``code``) has an entry in ``app.domain.problems``; a test fails when one is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: errors load before the models on every path
    from datetime import datetime

    from app.domain.models import LicenseSummary, ValidationResult


class WizardError(Exception):
    """Base of every error the product raises on purpose.

    ``code`` is the Licentric code (``MACHINE_LIMIT_EXCEEDED``, ``EXPIRED``...) or a local
    code (``CONNECT_FAILED``...). ``details`` and ``request_id`` come from the server when
    it sent them. ``message`` is technical and for logs; users see the problem catalogue.
    """

    default_code = "UNKNOWN"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message or self.__class__.__name__)
        self.message = message or self.__class__.__name__
        self.code = code or self.default_code
        self.status = status
        self.details: dict[str, Any] = details or {}
        self.request_id = request_id

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(code={self.code!r}, status={self.status!r})"

    @property
    def missing_entitlements(self) -> tuple[str, ...]:
        """The entitlements the server said are missing (``details.missing``), if it did."""
        listed = self.details.get("missing") or self.details.get("missingEntitlements")
        if isinstance(listed, list | tuple) and all(isinstance(x, str) for x in listed):
            return tuple(listed)
        return ()


# --- input ---------------------------------------------------------------------------


class KeyFormatError(WizardError):
    """What the user typed cannot be a license key; ``reason`` says why (a reason id)."""

    default_code = "KEY_MALFORMED"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ConfigError(WizardError):
    """The vendor configuration is invalid; ``field`` names the offending field."""

    default_code = "CONFIG_INVALID"

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- network (no usable answer from the server) ------------------------------------


class NetworkError(WizardError):
    """No usable answer reached us. Never evidence that the license is bad."""

    default_code = "NETWORK_ERROR"


class ConnectFailedError(NetworkError):
    """The server could not be reached at all (offline, DNS, refused, dropped)."""

    default_code = "CONNECT_FAILED"


class RequestTimeoutError(NetworkError):
    """The server did not answer in time."""

    default_code = "TIMEOUT"


class TlsError(NetworkError):
    """The server's certificate is not trusted (often corporate TLS interception)."""

    default_code = "TLS_UNTRUSTED"


class ProxyError(NetworkError):
    """The configured proxy refused or failed the connection."""

    default_code = "PROXY_FAILED"


class ProxyAuthRequiredError(ProxyError):
    """407 and no proxy sign-in was sent: the proxy wants a user name and password."""

    default_code = "PROXY_AUTH_REQUIRED"


class ProxyAuthFailedError(ProxyAuthRequiredError):
    """407 although a proxy sign-in was sent: the user name or password is wrong."""

    default_code = "PROXY_AUTH_FAILED"


class UnexpectedResponseError(NetworkError):
    """An answer arrived but it is not what Licentric sends (captive portal page,
    truncated or oversized body, wrong types, missing fields)."""

    default_code = "UNEXPECTED_RESPONSE"


class SignatureInvalidError(NetworkError):
    """The response signature did not verify: the answer may have been tampered with."""

    default_code = "SIGNATURE_INVALID"


class AnswerMismatchError(SignatureInvalidError):
    """A correctly signed validation answer that was not made for this request: its machine
    has another fingerprint, or its license is not the stored one (a replayed answer)."""

    default_code = "ANSWER_MISMATCH"


# --- the server answered with an error envelope ------------------------------------


class ApiError(WizardError):
    """The server answered with a Licentric error envelope (``code`` from the body)."""

    default_code = "API_ERROR"


class BadRequestError(ApiError):
    default_code = "VALIDATION_ERROR"


class UnauthorizedError(ApiError):
    """401: the license key (or API key) was not accepted."""

    default_code = "UNAUTHORIZED"


class ForbiddenError(ApiError):
    default_code = "FORBIDDEN"


class NotFoundError(ApiError):
    default_code = "NOT_FOUND"


class ConflictError(ApiError):
    """409 ``CONFLICT``: for activation, usually 'this fingerprint is already active'."""

    default_code = "CONFLICT"

    @property
    def machine_id(self) -> str | None:
        value = self.details.get("machineId")
        return value if isinstance(value, str) else None


class FingerprintInUseError(ConflictError):
    """Activation conflicted, but the fingerprint is active on another license (a policy with
    ``PER_POLICY`` / ``PER_ACCOUNT`` fingerprint uniqueness), not on this one."""

    default_code = "FINGERPRINT_IN_USE"


class MachineLimitError(ApiError):
    """422 ``MACHINE_LIMIT_EXCEEDED``: every seat of the license is taken."""

    default_code = "MACHINE_LIMIT_EXCEEDED"

    @property
    def max_machines(self) -> int | None:
        return _int_or_none(self.details.get("max"))

    @property
    def current_machines(self) -> int | None:
        return _int_or_none(self.details.get("current"))


class BusinessRuleError(ApiError):
    """Other 422 codes (``FLOATING_LIMIT_EXCEEDED``, ``BUSINESS_RULE_VIOLATION``...)."""

    default_code = "BUSINESS_RULE_VIOLATION"


class LicenseStateError(ApiError):
    """``LICENSE_SUSPENDED`` / ``REVOKED`` / ``EXPIRED`` / ``BANNED`` on a non-validation call."""

    default_code = "LICENSE_SUSPENDED"


class RateLimitedError(ApiError):
    """429: wait ``retry_after`` seconds, then try again."""

    default_code = "RATE_LIMITED"

    def __init__(self, message: str = "", *, retry_after: float = 1.0, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the licensing service has a problem. Never evidence that the license is bad."""

    default_code = "SERVER_ERROR"


# --- the license itself is not usable (validation answered, not VALID) -----------


class LicenseInvalidError(WizardError):
    """validate-key answered with a code other than VALID (``code`` is that code).

    ``result`` is the parsed ``ValidationResult`` so pages can show numbers (expiry date,
    seats) next to the explanation.
    """

    default_code = "NOT_FOUND"

    def __init__(
        self, code: str, result: ValidationResult | None = None, message: str = ""
    ) -> None:
        super().__init__(message or f"license validation answered {code}", code=code)
        self.result = result

    @property
    def license(self) -> LicenseSummary | None:
        """The license the answer described (product, expiry, seats), when it named one."""
        return self.result.license if self.result is not None else None

    @property
    def entitlements(self) -> tuple[str, ...]:
        """The entitlements the answer granted (empty when it named none)."""
        return tuple(self.result.entitlements) if self.result is not None else ()


# --- local conditions ---------------------------------------------------------------


class LocalError(WizardError):
    """Something on this computer, not the license or the server."""

    default_code = "LOCAL_ERROR"


class KeychainUnavailableError(LocalError):
    default_code = "KEYCHAIN_UNAVAILABLE"


class StorageError(LocalError):
    """The activation record or key file could not be written or read (disk full, read-only)."""

    default_code = "STORAGE_FAILED"

    @property
    def errno_name(self) -> str | None:
        """Why the disk refused: ``ENOSPC``, ``EROFS``, ``EACCES``, ``ENOTDIR``..."""
        value = self.details.get("errno")
        return str(value) if value is not None else None

    @property
    def path(self) -> str | None:
        """The file or folder that could not be written or read."""
        value = self.details.get("path")
        return str(value) if value else None

    @property
    def action(self) -> str | None:
        """What was being done: ``create the folder``, ``write``, ``read``..."""
        value = self.details.get("action")
        return str(value) if value is not None else None


class AdminRightsError(StorageError):
    """The activation for every user (machine-wide) is changed, or its key read, by an
    account without administrator rights."""

    default_code = "ADMIN_REQUIRED"


class FingerprintUnavailableError(LocalError):
    default_code = "FINGERPRINT_UNAVAILABLE"


class ClockSkewError(LocalError):
    """This computer's clock differs from the server's by more than the tolerance."""

    default_code = "CLOCK_SKEW"

    def __init__(self, message: str = "", *, skew_seconds: float) -> None:
        super().__init__(message or f"clock differs from server by {skew_seconds:.0f} s")
        self.skew_seconds = skew_seconds


class EnvironmentMismatchError(LocalError):
    """A test key used against the live service or the reverse."""

    default_code = "ENVIRONMENT_MISMATCH"


class NotActivatedError(LocalError):
    """No activation is stored on this computer."""

    default_code = "NOT_ACTIVATED"


class RelayNotConfiguredError(LocalError):
    """Device management needs the vendor's relay and none is configured."""

    default_code = "RELAY_NOT_CONFIGURED"


# --- offline license files -----------------------------------------------------------


class OfflineFileError(LocalError):
    """An offline license file is damaged or was changed after it was signed.

    The subclasses are the other reasons a file cannot be used on this computer.
    """

    default_code = "OFFLINE_FILE_DAMAGED"


class OfflineFileOtherComputerError(OfflineFileError):
    """The file was made for another computer's fingerprint."""

    default_code = "OFFLINE_FILE_OTHER_COMPUTER"


class OfflineFileOtherProductError(OfflineFileError):
    """The file was signed with another vendor key or made for another product."""

    default_code = "OFFLINE_FILE_OTHER_PRODUCT"


class OfflineFileExpiredError(OfflineFileError):
    """The file's validity has ended at ``expires_at`` (timezone-aware)."""

    default_code = "OFFLINE_FILE_EXPIRED"

    def __init__(self, message: str = "", *, expires_at: datetime) -> None:
        super().__init__(message or f"offline license ended {expires_at.isoformat()}")
        self.expires_at = expires_at


class OfflineKeyMissingError(LocalError):
    """Activated without internet with a key typed elsewhere: nothing to check online with."""

    default_code = "OFFLINE_NO_KEY"


class OfflineNotAllowedError(ApiError):
    """The license's policy gives no offline files (offline off, or check-ins required)."""

    default_code = "OFFLINE_NOT_ALLOWED"


class UnexpectedError(WizardError):
    """A lower layer raised something outside this tree (a bug); the cause is kept."""

    default_code = "UNEXPECTED"


class CancelledError(LocalError):
    """The user cancelled; nothing was stored."""

    default_code = "CANCELLED"


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
