"""Moving the license to another computer: deactivate this one, then clear local state."""

from __future__ import annotations

import logging

from app.config import VendorConfig
from app.domain.errors import NotActivatedError, NotFoundError
from app.domain.models import ActivationRecord
from app.platform.fingerprint import fingerprint
from app.services.ports import KeyStore, LicensingClient, RecordStore

log = logging.getLogger(__name__)


class TransferService:
    def __init__(
        self, config: VendorConfig, client: LicensingClient, secrets: KeyStore, store: RecordStore
    ) -> None:
        self.config = config
        self._client = client
        self._secrets = secrets
        self._store = store

    def deactivate_this(self) -> ActivationRecord:
        """Deactivate this computer's machine on the server, then forget key and record.

        Local state is cleared only after the server confirmed (a 404 means the machine is
        already gone, which confirms it too). Any other failure leaves everything as it was.
        Returns the record that was cleared. NotActivatedError when nothing is stored.
        """
        record = self._store.load()
        if record is None:
            raise NotActivatedError("no activation is stored on this computer")
        self._store.check_writable()  # the seat stays taken when the record can't be removed
        if record.fingerprint == fingerprint(self.config.app_id):
            self._deactivate_on_server(record)
        else:
            # The record came with a cloned disk: its machine is another computer's seat.
            log.warning("fingerprint changed since activation; clearing local state only")
        self._secrets.delete()
        self._store.clear()
        log.info("local activation state cleared")
        return record

    def _deactivate_on_server(self, record: ActivationRecord) -> None:
        key = self._secrets.load()
        if not key:
            raise NotActivatedError("the stored license key is missing")
        try:
            self._client.deactivate(key, record.machine_id)
        except NotFoundError:
            log.info("machine %s was already gone on the server", record.machine_id)
        else:
            log.info("machine %s deactivated", record.machine_id)
