"""Activation without internet: this computer's request, and loading the relay-signed file.

The request never holds the license key. A loaded file is verified (vendor key, version,
product, this computer's fingerprint, expiry) and stored with the activation record in one
atomic write; the key is stored too when the user gave it here, so an online validation can
replace the offline state once the network is back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from app.config import VendorConfig
from app.domain.errors import LicenseInvalidError, OfflineFileError, StorageError, WizardError
from app.domain.license_key import mask_key, normalise_key
from app.domain.models import ActivationRecord, LicenseSummary, MachineSummary, ValidationResult
from app.domain.offline_license import MAX_FILE_CHARS, OfflineLicense, verify_license_file
from app.domain.offline_request import OfflineRequest, encode_request, offline_url
from app.platform.files import read_bytes
from app.platform.fingerprint import device_identity, fingerprint
from app.services.locking import activation_lock
from app.services.ports import KeyStore, RecordStore
from app.services.snapshot import iso, now_utc, parse_time

log = logging.getLogger(__name__)

NO_KEY = "none"  # key_storage of an offline activation whose key was typed elsewhere


@dataclass(frozen=True)
class OfflineRequestInfo:
    """What the wizard shows and ``offline-request`` prints: the code, and the page's URL."""

    code: str
    url: str | None  # None when the vendor configured no relay
    device_name: str
    fingerprint: str


@dataclass(frozen=True)
class OfflineActivation:
    """A loaded file: the stored record and what the file grants."""

    record: ActivationRecord
    license: OfflineLicense
    key_storage: str

    @property
    def validation(self) -> ValidationResult:
        return offline_validation(self.license)


class OfflineService:
    """Builds the request and loads files; safe to call from a worker thread."""

    def __init__(
        self, config: VendorConfig, secrets: KeyStore, store: RecordStore, data_dir: Path
    ) -> None:
        self.config = config
        self._secrets = secrets
        self._store = store
        self._data_dir = data_dir

    def request(self, device_name: str | None = None) -> OfflineRequestInfo:
        """This computer's request (needs no network)."""
        identity = device_identity(self.config.app_id, device_name)
        request = OfflineRequest(
            identity.fingerprint, identity.name, self.config.app_id, identity.platform,
            tuple(self.config.required_entitlements),
        )  # fmt: skip
        code = encode_request(request)
        relay = self.config.relay_url
        url = offline_url(relay, code) if relay else None
        return OfflineRequestInfo(code, url, identity.name, identity.fingerprint)

    def load(self, text: str, *, key: str | None = None) -> OfflineActivation:
        """Verify ``text`` for this computer and store it (with ``key`` when given)."""
        with activation_lock(self._data_dir):
            previous = self._previous()
            now = now_utc()
            lic = self.verify(text, now=now, latest_seen=seen_before(previous))
            normalised = normalise_key(key) if key else None
            if normalised:
                storage, masked = self._secrets.save(normalised), mask_key(normalised)
            else:
                storage, masked = self._kept_key(previous, lic)
            record = self._record(lic, text, masked, storage, now, previous)
            try:
                self._store.save(record)
            except BaseException:
                if normalised:
                    _quietly(self._secrets.delete)  # a key without its record is half-stored
                raise
            log.info("activated offline until %s (license %s)", iso(lic.expires_at), lic.license_id)
            return OfflineActivation(record, lic, storage)

    def read_file(self, path: Path) -> str:
        """A license file's text (StorageError when unreadable; a file far too big to be one
        is cut, and then refused as damaged when it is loaded)."""
        data = read_bytes(Path(path))
        if data is None:
            raise StorageError(
                f"no file at {path}",
                details={"errno": "ENOENT", "path": str(path), "action": "read"},
            )
        return data[: MAX_FILE_CHARS + 1].decode("utf-8", errors="replace")

    def verify(
        self, text: str, *, now: datetime | None = None, latest_seen: datetime | None = None
    ) -> OfflineLicense:
        """The file's license when it is valid for this computer now (raises otherwise)."""
        return verify_for_this_computer(self.config, text, now=now, latest_seen=latest_seen)

    def _kept_key(self, previous: ActivationRecord | None, lic: OfflineLicense) -> tuple[str, str]:
        """(storage, masked key) without a new key: the stored one when it is this license's,
        else none (a stored key of another license is removed so it never checks this one)."""
        if previous is not None and previous.license_id == lic.license_id:
            if previous.key_storage != NO_KEY:
                return previous.key_storage, previous.key_masked
        elif previous is not None:
            _quietly(self._secrets.delete)
        return NO_KEY, lic.key_masked or ""

    def _previous(self) -> ActivationRecord | None:
        try:
            return self._store.load()
        except WizardError as exc:
            log.warning("could not read the previous activation: %s", exc.code)
            return None

    def _record(
        self,
        lic: OfflineLicense,
        text: str,
        key_masked: str,
        storage: str,
        now: datetime,
        previous: ActivationRecord | None,
    ) -> ActivationRecord:
        seen = max(filter(None, (now, seen_before(previous), lic.issued_at)))
        return ActivationRecord(
            license_id=lic.license_id,
            machine_id=lic.machine_id or "",
            fingerprint=lic.fingerprint,
            device_name=lic.device_name,
            key_masked=key_masked,
            api_url=self.config.api_url,
            activated_at=iso(now) or "",
            key_storage=storage,
            offline_license=text.strip() + "\n",
            latest_seen_at=iso(seen),
        )


def verify_for_this_computer(
    config: VendorConfig,
    text: str,
    *,
    now: datetime | None = None,
    latest_seen: datetime | None = None,
) -> OfflineLicense:
    """``text``'s license when signed with the vendor key, for this product and computer, not
    ended by ``now`` or by ``latest_seen`` (raises the OfflineFile errors otherwise), and
    holding the vendor's required entitlements (ENTITLEMENTS_MISSING, as online)."""
    lic = verify_license_file(
        text,
        public_key=config.public_key,
        fingerprint=fingerprint(config.app_id),
        product=config.app_id,
        now=now or now_utc(),
        latest_seen=latest_seen,
    )
    require_file_entitlements(config, lic)
    return lic


def require_file_entitlements(config: VendorConfig, lic: OfflineLicense) -> None:
    """The file must list every required entitlement; a version 1 file lists none, so where
    any is required it is refused as unreadable (a new file from the relay lists them)."""
    if not config.required_entitlements:
        return
    if lic.entitlements is None:
        raise OfflineFileError("a version 1 file lists no entitlements; download a new file")
    if set(config.required_entitlements) - set(lic.entitlements):
        raise LicenseInvalidError("ENTITLEMENTS_MISSING", offline_validation(lic))


def seen_before(record: ActivationRecord | None) -> datetime | None:
    """The latest moment the record proves has passed (its own guard, or a server answer)."""
    if record is None:
        return None
    moments = [parse_time(record.latest_seen_at), parse_time(record.last_validated_at)]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def with_time_seen(record: ActivationRecord, now: datetime) -> ActivationRecord:
    """The record with ``latest_seen_at`` moved forward to ``now`` (never backwards)."""
    before = seen_before(record)
    if before is not None and before >= now:
        return record
    return replace(record, latest_seen_at=iso(now))


def offline_validation(lic: OfflineLicense) -> ValidationResult:
    """What a verified file says, in the shape the status page and ``status`` show."""
    summary = LicenseSummary(
        id=lic.license_id,
        status="active",
        name=lic.license_name,
        expires_at=lic.license_expires_at,
    )  # the product's name is the vendor's config, as for an online answer
    machine = MachineSummary(id=lic.machine_id or "", fingerprint=lic.fingerprint,
                             name=lic.device_name)  # fmt: skip
    return ValidationResult(valid=True, code="VALID", license=summary, machine=machine,
                            entitlements=lic.entitlements or (), server_time=lic.issued_at,
                            entitlements_known=lic.entitlements is not None)  # fmt: skip


def _quietly(action) -> None:  # noqa: ANN001 - a no-argument clean-up callable
    try:
        action()
    except WizardError as exc:
        log.warning("clean-up failed: %s", exc.code)
