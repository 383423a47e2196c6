"""First activation of this computer: validate, activate, heartbeat, confirm, then store.

Local state is written only after the server confirmed the final state, key first, record
second, so a failure or a cancel at any point leaves nothing half-stored.

Clock decision: the skew against the server's ``Date`` is measured after the first answer
and reported in the outcome (``clock_skew_seconds``). It is an error (ClockSkewError) only
where it decides something: with a response-signing key configured, signatures older or newer
than the freshness window are rejected, so a skewed clock there would make every answer look
tampered with. The offline grace is measured against the server's own time, so it is not
affected.

The flow and its undo live here; what it makes of each answer (checks, the seat-limit error,
the stored record) is ``activation_rules``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from app.config import VendorConfig
from app.domain.cancel import CancelToken
from app.domain.errors import (
    BusinessRuleError,
    ClockSkewError,
    ConflictError,
    FingerprintInUseError,
    LicenseInvalidError,
    MachineLimitError,
    NotFoundError,
    SignatureInvalidError,
    WizardError,
)
from app.domain.license_key import mask_key, normalise_key
from app.domain.models import (
    ActivationRecord,
    DeviceIdentity,
    LicenseView,
    Machine,
    ValidationResult,
)
from app.platform.fingerprint import device_identity
from app.services.activation_rules import (
    check_clock,
    check_environment,
    clock_is_off,
    limit_error,
    new_record,
    require_entitlements,
    skew_seconds,
)
from app.services.heartbeat import heartbeat_required
from app.services.license_view import LicenseViewSource
from app.services.locking import activation_lock
from app.services.ports import KeyStore, LicensingClient, RecordStore
from app.services.snapshot import is_usable
from app.services.steps import Step, StepCallback, StepReporter

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Codes of a first validation that mean "this computer already holds a machine".
_ALREADY_ACTIVE = frozenset({"VALID", "EXPIRED", "HEARTBEAT_REQUIRED"})


@dataclass(frozen=True)
class ActivationOutcome:
    """What the result page shows after a successful activation."""

    record: ActivationRecord
    validation: ValidationResult
    key_storage: str  # "keychain" or "file"
    already_active: bool  # the server already knew this computer; no seat was taken
    virtualization: str | None  # "container", "vm" or None: shared fingerprints are likelier
    clock_skew_seconds: float | None = None  # this computer minus the server; None: unknown
    #: Another license was active here and this activation replaced it: its masked key, and
    #: whether its seat on this computer was released on the server (False: it may still
    #: count there until the vendor or the user frees it).
    replaced_key_masked: str | None = None
    replaced_released: bool | None = None
    #: The relay's owner view, read once this computer held its seat (the relay caches it for
    #: up to a minute, so its seats-used count may lag); None without a relay.
    license_view: LicenseView | None = None

    @property
    def clock_is_off(self) -> bool:
        return clock_is_off(self.clock_skew_seconds)

    @property
    def expired_but_usable(self) -> bool:
        return self.validation.code == "EXPIRED"


class ActivationService:
    """Runs the activation flow; safe to call from a worker thread."""

    def __init__(
        self,
        config: VendorConfig,
        client: LicensingClient,
        secrets: KeyStore,
        store: RecordStore,
        data_dir: Path,
        views: LicenseViewSource | None = None,
    ) -> None:
        self.config = config
        self._client = client
        self._secrets = secrets
        self._store = store
        self._data_dir = Path(data_dir)
        self._views = views or LicenseViewSource(None)

    def identity(self, device_name: str | None = None) -> DeviceIdentity:
        """What this computer will send (shown on the device page before anything is sent)."""
        return device_identity(self.config.app_id, device_name)

    def activate(
        self,
        key: str,
        device_name: str | None,
        *,
        on_step: StepCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> ActivationOutcome:
        """Activate this computer with ``key``. Raises a WizardError naming what failed."""
        steps = StepReporter(on_step)
        try:
            steps.start(Step.CHECK_KEY)
            key = normalise_key(key, self.config.key_rule)  # KeyFormatError before any request
            self._store.check_writable()  # no seat is taken for a record that can't be kept
            identity = self.identity(device_name)
            with activation_lock(self._data_dir, cancel=cancel):
                return _ActivationRun(self, key, identity, steps, cancel).run()
        except BaseException:
            steps.fail()
            raise


class _ActivationRun:
    """One activation attempt; holds what the steps share."""

    def __init__(
        self,
        service: ActivationService,
        key: str,
        identity: DeviceIdentity,
        steps: StepReporter,
        cancel: CancelToken | None,
    ) -> None:
        self.s = service
        self.config = service.config
        self.client = service._client
        self.key = key
        self.identity = identity
        self.steps = steps
        self.cancel = cancel
        self.created: Machine | None = None  # a machine this run created (undone on cancel)
        self.skew: float | None = None
        self.license_id: str | None = None  # every later answer must name the same license
        self.view: LicenseView | None = None

    def run(self) -> ActivationOutcome:
        first = self._check_key()
        self.license_id = first.license.id if first.license else None
        self.steps.done(Step.CHECK_KEY)
        already_active = first.code in _ALREADY_ACTIVE and first.machine is not None
        machine_id = self._activate(first) if not already_active else _machine_id(first)
        # Read once this computer holds its seat: the relay caches the view for a minute, and
        # a view cached before the activation would leave this computer out of the device list.
        self.view = self.s._views.fetch(self.key)
        probe = self._heartbeat(first, machine_id)
        final = self._confirm(machine_id, probe)
        return self._save(final, machine_id, already_active)

    # --- steps ------------------------------------------------------------------------

    def _check_key(self) -> ValidationResult:
        result = self._validate()
        self._check_clock(result)
        log.info("validation of %s answered %s", mask_key(self.key), result.code)
        if result.code == "HEARTBEAT_REQUIRED" and result.machine is not None:
            return result  # active here, only overdue: the heartbeat step revives it
        if is_usable(result):
            return result  # without a machine (unusual) activation recovers it by conflict
        if result.code == "FINGERPRINT_NOT_FOUND":
            require_entitlements(self.config, result)  # before a seat is taken, not after
            return result
        if result.code == "NOT_FOUND":
            check_environment(self.config, self.key)
        if result.code == "MACHINE_LIMIT_EXCEEDED":
            raise limit_error(None, self.s._views.fetch(self.key))
        raise LicenseInvalidError(result.code, result)

    def _activate(self, first: ValidationResult) -> str:
        self._checkpoint()
        self.steps.start(Step.ACTIVATE)
        try:
            machine = self.client.activate(self.key, self.identity, cancel=self.cancel)
        except MachineLimitError as exc:
            # Its details carry the seat count; the relay's view only when they don't.
            view = None if exc.max_machines is not None else self.s._views.fetch(self.key)
            raise limit_error(exc, view) from exc
        except (ConflictError, BusinessRuleError) as exc:
            if isinstance(exc, BusinessRuleError) and exc.code != "CONSTRAINT_VIOLATION":
                raise
            machine_id = self._recover(exc)
        else:
            self.created = machine
            machine_id = machine.id
            log.info("activated machine %s", machine_id)
        self.steps.done(Step.ACTIVATE)
        return machine_id

    def _heartbeat(self, first: ValidationResult, machine_id: str) -> ValidationResult | None:
        """Send the first heartbeat when the policy needs one.

        validate-key does not always say whether the policy requires heartbeats; when the
        first answer does not tell, the confirming validation is sent early and its
        ``HEARTBEAT_REQUIRED`` decides. Returns that answer when it can stand as the final one.
        """
        self._checkpoint()
        probe: ValidationResult | None = None
        if not heartbeat_required(first, self.view, self.config.heartbeat_minutes):
            probe = self._undo_on_failure(self._validate)
            if probe.code != "HEARTBEAT_REQUIRED":
                self.steps.skip(Step.HEARTBEAT)
                return probe
        self.steps.start(Step.HEARTBEAT)
        self._undo_on_failure(
            lambda: self.client.heartbeat(self.key, machine_id, cancel=self.cancel)
        )
        self.steps.done(Step.HEARTBEAT)
        return None

    def _confirm(self, machine_id: str, probe: ValidationResult | None) -> ValidationResult:
        self._checkpoint()
        self.steps.start(Step.CONFIRM)
        final = probe or self._validate()
        if not is_usable(final):
            self._undo("the final validation answered " + final.code)
            if final.code == "MACHINE_LIMIT_EXCEEDED":
                raise limit_error(None, self.view)
            raise LicenseInvalidError(final.code, final)
        if final.machine is not None and final.machine.id != machine_id:
            log.warning(
                "server reports machine %s, activation gave %s", final.machine.id, machine_id
            )
        self.steps.done(Step.CONFIRM)
        return final

    def _save(
        self, final: ValidationResult, machine_id: str, already_active: bool
    ) -> ActivationOutcome:
        self._checkpoint()  # the last moment a cancel can still leave nothing behind
        self.steps.start(Step.SAVE)
        machine_id = final.machine.id if final.machine else machine_id
        previous, previous_key = self._previous_activation(final)
        storage = self._undo_on_failure(lambda: self.s._secrets.save(self.key))
        record = new_record(self.config, self.key, self.identity, final, machine_id, storage)
        try:
            self.s._store.save(record)
        except BaseException:
            _quietly(self.s._secrets.delete)  # a key without a record would be half-stored
            self._undo("the activation record could not be written")
            raise
        released = self._release(previous, previous_key) if previous else None
        self.steps.done(Step.SAVE)
        return ActivationOutcome(
            record=record,
            validation=final,
            key_storage=storage,
            already_active=already_active,
            virtualization=self.identity.virtualization,
            clock_skew_seconds=self.skew,
            replaced_key_masked=previous.key_masked if previous else None,
            replaced_released=released,
            license_view=self.view,
        )

    def _previous_activation(
        self, final: ValidationResult
    ) -> tuple[ActivationRecord | None, str | None]:
        """An activation of another license on this computer, with its key, read before the
        new key overwrites it; None when there is none or it is this same license."""
        try:
            previous = self.s._store.load()
            if previous is None or (final.license and previous.license_id == final.license.id):
                return None, None
            return previous, self.s._secrets.load()
        except WizardError as exc:  # unreadable old state must not block the new license
            log.warning("could not read the previous activation: %s", exc.code)
            return None, None

    def _release(self, previous: ActivationRecord, key: str | None) -> bool:
        """Free the replaced license's seat on this computer, after the new one is stored:
        the user is never left without a working license if this fails."""
        if not key:
            return False
        try:
            self.client.deactivate(key, previous.machine_id)
        except NotFoundError:
            pass  # already gone on the server
        except WizardError as exc:
            log.warning("could not release the replaced license's seat: %s", exc.code)
            return False
        log.info("released the seat of the replaced license %s", previous.key_masked)
        return True

    # --- helpers ----------------------------------------------------------------------

    def _validate(self) -> ValidationResult:
        try:
            return self.client.validate_key(
                self.key,
                self.identity.fingerprint,
                self.config.required_entitlements,
                license_id=self.license_id,
                cancel=self.cancel,
            )
        except SignatureInvalidError as exc:
            # A stale or future signature timestamp is what a wrong clock looks like.
            skew = skew_seconds(getattr(self.client, "last_server_time", None))
            if clock_is_off(skew):
                raise ClockSkewError(skew_seconds=skew) from exc
            raise

    def _check_clock(self, result: ValidationResult) -> None:
        server_time = result.server_time or getattr(self.client, "last_server_time", None)
        self.skew = skew_seconds(server_time)
        if clock_is_off(self.skew):
            log.warning("this computer's clock differs from the server's by %.0f s", self.skew)
            check_clock(self.config, self.skew)

    def _recover(self, conflict: WizardError) -> str:
        """The server already holds this fingerprint: find its machine, take no new seat."""
        log.info("activation answered %s; recovering the existing machine", conflict.code)
        result = self._validate()
        if result.machine is not None and result.code in _ALREADY_ACTIVE:
            return result.machine.id
        machine_id = conflict.details.get("machineId") if conflict.details else None
        if isinstance(machine_id, str) and machine_id and is_usable(result):
            return machine_id
        if result.code == "FINGERPRINT_NOT_FOUND":  # the conflict is with another license
            raise FingerprintInUseError(
                conflict.message,
                details=conflict.details,
                status=conflict.status,
                request_id=conflict.request_id,
            ) from conflict
        raise conflict

    def _checkpoint(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            self._undo("cancelled by the user")
            self.cancel.raise_if_cancelled()

    def _undo_on_failure(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except BaseException:
            self._undo("a later step failed")
            raise

    def _undo(self, why: str) -> None:
        """Best effort: deactivate the machine this run created, so no seat is left taken."""
        created, self.created = self.created, None
        if created is None:
            return
        log.info("deactivating machine %s again: %s", created.id, why)
        try:
            self.client.deactivate(self.key, created.id)
        except NotFoundError:
            pass
        except WizardError as exc:
            log.warning("could not deactivate machine %s again: %s", created.id, exc.code)


def _machine_id(result: ValidationResult) -> str:
    assert result.machine is not None
    return result.machine.id


def _quietly(action: Callable[[], object]) -> None:
    try:
        action()
    except WizardError as exc:
        log.warning("clean-up failed: %s", exc.code)
