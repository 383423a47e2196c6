"""The stored activation and its current state: online check with an offline grace cache.

Outages never turn a good license into a bad one: when the service cannot answer (offline,
5xx, timeouts, rate limits, a locked keychain) the last good answer counts for
``offline_grace_hours`` after the server time it was given, marked stale. A cached answer is
never reused for a computer whose fingerprint differs from the one that activated.
A reopen costs one request (three only when an overdue heartbeat has to be sent first).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.config import VendorConfig
from app.domain.errors import (
    AdminRightsError,
    ConnectFailedError,
    KeychainUnavailableError,
    LicenseInvalidError,
    NetworkError,
    NotActivatedError,
    OfflineKeyMissingError,
    RateLimitedError,
    ServerError,
    SignatureInvalidError,
    WizardError,
)
from app.domain.models import ActivationRecord, LicenseView, ValidationResult
from app.platform.diagnostics import CLOCK_TOLERANCE_SECONDS
from app.platform.fingerprint import fingerprint
from app.services.heartbeat import beat
from app.services.license_view import LicenseViewSource
from app.services.offline import (
    NO_KEY,
    offline_validation,
    seen_before,
    verify_for_this_computer,
    with_time_seen,
)
from app.services.ports import KeyStore, LicensingClient, RecordStore
from app.services.snapshot import (
    is_usable,
    iso,
    now_utc,
    parse_time,
    validation_from_json,
    validation_to_json,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatusReport:
    """What the status page and ``status`` / ``check`` show."""

    record: ActivationRecord
    validation: ValidationResult | None  # the answer shown (fresh, or cached when stale)
    online: bool  # True when the server answered just now
    stale: bool  # True when a cached answer stands in for a fresh one
    checked_at: datetime | None  # server time of the answer shown
    key_storage: str  # "keychain" or "file"
    problem: WizardError | None  # None: licensed; else what pages and the CLI explain
    offline_reason: WizardError | None = None  # why the cached answer was used
    fingerprint_changed: bool = False
    offline_until: datetime | None = None  # set when an offline license file is the answer
    reused: bool = False  # a saved answer younger than ``max_age`` was used without a request
    #: The relay's owner view (seats, licensee, policy), fetched with a fresh answer when a
    #: relay is configured; None: those facts are unknown and left out.
    license_view: LicenseView | None = None

    @property
    def licensed(self) -> bool:
        return self.problem is None and is_usable(self.validation)

    @property
    def licensee(self) -> str | None:
        """The licensee from the relay's view, else the license's name (often "Product —
        Person", which app.presentation.license_facts.licensee takes apart)."""
        if self.license_view is not None and self.license_view.licensee_name:
            return self.license_view.licensee_name
        lic = self.validation.license if self.validation else None
        return lic.name if lic else None

    @property
    def expires_at(self) -> datetime | None:
        lic = self.validation.license if self.validation else None
        return lic.expires_at if lic else None

    @property
    def entitlements(self) -> tuple[str, ...]:
        return self.validation.entitlements if self.validation else ()

    @property
    def seats(self) -> tuple[int | None, int | None]:
        """(used, total) from the relay's view; (None, None) without one (validate-key does
        not tell), and total None for a license without a seat limit."""
        view = self.license_view
        return (view.seats_used, view.seats_total) if view else (None, None)


#: Failures after which the cached answer may stand in: the service could not answer.
#: AdminRightsError: a user of a machine-wide activation may not read its key; the record's
#: saved answer (refreshed by an administrator's check) is what every user goes by.
_GRACE_ERRORS = (
    NetworkError,
    ServerError,
    RateLimitedError,
    KeychainUnavailableError,
    AdminRightsError,
)


class StatusService:
    def __init__(
        self,
        config: VendorConfig,
        client: LicensingClient,
        secrets: KeyStore,
        store: RecordStore,
        views: LicenseViewSource | None = None,
    ) -> None:
        self.config = config
        self._client = client
        self._secrets = secrets
        self._store = store
        self._views = views or LicenseViewSource(None)

    def stored(self) -> ActivationRecord | None:
        """The local record (no request); None when this computer is not activated."""
        return self._store.load()

    def stored_key(self) -> str | None:
        """The license key saved on this computer; None when there is none or it can't be
        read now (then the user types it)."""
        try:
            return self._secrets.load() or None
        except WizardError as exc:
            log.info("the saved key could not be read (%s)", exc.code)
            return None

    def check(
        self, online: bool = True, *, strict: bool = False, max_age: float | None = None
    ) -> StatusReport:
        """Validate the stored activation (``online``) or judge it from what is saved alone:
        the cached answer, or the offline license file of a computer activated without
        internet. ``strict``: only a fresh online answer counts (``check --online``).
        ``max_age``: a saved good answer younger than this many seconds (and within the
        offline grace) is used without any request (``check --max-age``).

        Raises NotActivatedError when nothing is stored; every other failure is the
        report's ``problem``.
        """
        record = self.stored()
        if record is None:
            raise NotActivatedError("no activation is stored on this computer")
        if record.fingerprint != fingerprint(self.config.app_id):
            return self._moved(record)
        if not online:
            return self._saved(record, reason=None)
        if max_age is not None and not strict:
            recent = self._recent(record, max_age)
            if recent is not None:
                return recent
        try:
            key = self._key_for(record)
            if key is None:  # activated offline with a key typed elsewhere
                if strict:
                    return self._failed(record, OfflineKeyMissingError("no key stored here"))
                return self._from_file(record, reason=None)
            result = self._validate(key, record)
        except _GRACE_ERRORS as exc:
            if isinstance(exc, SignatureInvalidError) or strict:  # tampering never falls back
                return self._failed(record, exc)
            log.info("online check failed (%s); trying the saved answer", exc.code)
            return self._saved(record, reason=exc)
        except NotActivatedError:
            raise
        except WizardError as exc:
            return self._failed(record, exc)
        return replace(self._fresh(record, result), license_view=self._views.fetch(key))

    def _key_for(self, record: ActivationRecord) -> str | None:
        """The stored key; None for an offline activation without one (NotActivatedError
        when an online activation lost its key)."""
        if record.offline_license and record.key_storage == NO_KEY:
            return None
        key = self._secrets.load()
        if key:
            return key
        if record.offline_license:
            return None
        raise NotActivatedError("the stored license key is missing")

    # --- outcomes ---------------------------------------------------------------------

    def _validate(self, key: str, record: ActivationRecord) -> ValidationResult:
        def validate() -> ValidationResult:
            return self._client.validate_key(
                key, record.fingerprint, entitlements, license_id=record.license_id
            )

        entitlements = self.config.required_entitlements
        result = validate()
        if result.code == "HEARTBEAT_REQUIRED" and result.machine is not None:
            beat(self._client, key, result.machine.id)
            result = validate()
        return result

    def _fresh(self, record: ActivationRecord, result: ValidationResult) -> StatusReport:
        record = self._remember(record, result)
        problem = None if is_usable(result) else LicenseInvalidError(result.code, result)
        return StatusReport(
            record=record,
            validation=result,
            online=True,
            stale=False,
            checked_at=result.server_time or now_utc(),
            key_storage=record.key_storage,
            problem=problem,
        )

    def _remember(self, record: ActivationRecord, result: ValidationResult) -> ActivationRecord:
        """Store the answer (atomically); a good one also moves ``last_validated_at``."""
        changes: dict[str, object] = {"last_validation": validation_to_json(result)}
        if is_usable(result):
            changes["last_validated_at"] = iso(result.server_time or now_utc())
            changes["offline_license"] = None  # an online answer replaces the offline state
            if result.machine is not None:
                changes["machine_id"] = result.machine.id
        updated = replace(record, **changes)
        try:
            self._store.save(updated)
        except WizardError as exc:  # the check itself succeeded; the cache just stays older
            log.warning("could not update the activation record: %s", exc.code)
            return record
        return updated

    def _saved(self, record: ActivationRecord, reason: WizardError | None) -> StatusReport:
        if record.offline_license:
            return self._from_file(record, reason)
        return self._from_cache(record, reason)

    def _from_file(self, record: ActivationRecord, reason: WizardError | None) -> StatusReport:
        """The offline license file judged now; the latest time seen only ever moves on."""
        now = now_utc()
        record = self._save_if_changed(record, with_time_seen(record, now))
        try:
            lic = verify_for_this_computer(
                self.config, record.offline_license or "", now=now, latest_seen=seen_before(record)
            )
        except WizardError as exc:
            return replace(self._failed(record, exc), validation=None, offline_reason=reason)
        return StatusReport(
            record=record,
            validation=offline_validation(lic),
            online=False,
            stale=False,
            checked_at=lic.issued_at,
            key_storage=record.key_storage,
            problem=None,
            offline_reason=reason,
            offline_until=lic.expires_at,
        )

    def _save_if_changed(
        self, record: ActivationRecord, updated: ActivationRecord
    ) -> ActivationRecord:
        if updated is record:
            return record
        try:
            self._store.save(updated)
        except WizardError as exc:  # judged all the same; the guard just stays where it was
            log.warning("could not update the activation record: %s", exc.code)
        return updated

    def _from_cache(self, record: ActivationRecord, reason: WizardError | None) -> StatusReport:
        cached = validation_from_json(record.last_validation)
        checked_at = parse_time(record.last_validated_at)
        if is_usable(cached) and self._within_grace(checked_at):
            problem = None
        else:
            problem = reason or ConnectFailedError(
                "not checked online, and the saved answer is older than the offline grace"
            )
        return _saved_answer(record, cached, checked_at, problem=problem, offline_reason=reason)

    def _recent(self, record: ActivationRecord, max_age: float) -> StatusReport | None:
        """The saved good answer when it is younger than ``max_age`` seconds and within the
        grace; None sends the request (offline files are judged by their own dates)."""
        cached = validation_from_json(record.last_validation)
        checked_at = parse_time(record.last_validated_at)
        if record.offline_license or checked_at is None or not is_usable(cached):
            return None
        age = (now_utc() - checked_at).total_seconds()
        if age < -CLOCK_TOLERANCE_SECONDS or age > max_age or not self._within_grace(checked_at):
            return None
        return _saved_answer(record, cached, checked_at, problem=None, reused=True)

    def _failed(self, record: ActivationRecord, error: WizardError) -> StatusReport:
        return StatusReport(
            record=record,
            validation=validation_from_json(record.last_validation),
            online=False,
            stale=True,
            checked_at=parse_time(record.last_validated_at),
            key_storage=record.key_storage,
            problem=error,
        )

    def _moved(self, record: ActivationRecord) -> StatusReport:
        # A cloned disk or a replaced board: the record belongs to another computer.
        log.warning("this computer's fingerprint differs from the activated one")
        problem = LicenseInvalidError(
            "FINGERPRINT_NOT_FOUND", None, "this computer is not the one that was activated"
        )
        return StatusReport(
            record=record,
            validation=None,
            online=False,
            stale=False,
            checked_at=None,
            key_storage=record.key_storage,
            problem=problem,
            fingerprint_changed=True,
        )

    def _within_grace(self, checked_at: datetime | None) -> bool:
        if checked_at is None:
            return False
        age = now_utc() - checked_at
        # A clock set back far behind the last answer must not stretch the grace.
        if age < -timedelta(seconds=CLOCK_TOLERANCE_SECONDS):
            return False
        return age <= timedelta(hours=self.config.offline_grace_hours)


def _saved_answer(
    record: ActivationRecord,
    cached: ValidationResult | None,
    checked_at: datetime | None,
    *,
    problem: WizardError | None,
    offline_reason: WizardError | None = None,
    reused: bool = False,
) -> StatusReport:
    """A report from the record's saved answer, not asked online: reused on purpose (fresh
    enough for ``max_age``) or stale (the service could not be asked)."""
    return StatusReport(
        record=record,
        validation=cached,
        online=False,
        stale=not reused,
        checked_at=checked_at,
        key_storage=record.key_storage,
        problem=problem,
        offline_reason=offline_reason,
        reused=reused,
    )
