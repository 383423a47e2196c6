"""The activation record on disk: one JSON file, written atomically, read defensively."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from app.domain.models import ActivationRecord
from app.platform.files import read_bytes, remove, write_private

log = logging.getLogger(__name__)

STATE_FILE_NAME = "activation.json"
SCHEMA_VERSION = 1
_REQUIRED_TEXT = (
    "license_id",
    "machine_id",
    "fingerprint",
    "device_name",
    "key_masked",
    "api_url",
    "activated_at",
)


class ActivationStore:
    """``<data dir>/activation.json``. Every OSError surfaces as StorageError (with cause)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / STATE_FILE_NAME
        #: True after ``load`` met a damaged file (treated as "no activation", logged).
        self.corrupt = False
        #: True after ``load`` met a schema this version does not understand.
        self.unknown_schema = False

    def load(self) -> ActivationRecord | None:
        """The stored record, or None when absent, damaged or from an unknown schema."""
        self.corrupt = self.unknown_schema = False
        raw = read_bytes(self.path)
        if raw is None:
            return None
        data = self._parse(raw)
        if data is None:
            return None
        if data.get("schema") != SCHEMA_VERSION:
            self.unknown_schema = True
            log.warning("%s has schema %r, expected %d", self.path, data.get("schema"), 1)
            return None
        if not all(isinstance(data.get(name), str) for name in _REQUIRED_TEXT):
            return self._damaged("required fields are missing")
        return ActivationRecord.from_json(data)

    def save(self, record: ActivationRecord) -> None:
        """Replace the stored record; on any failure the previous one stays intact."""
        body = {"schema": SCHEMA_VERSION, **record.to_json()}
        data = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        self._write(data.encode("utf-8"))

    def _write(self, data: bytes) -> None:
        write_private(self.path, data)

    def clear(self) -> None:
        remove(self.path)

    def check_writable(self) -> None:
        """Nothing to check: the user's own folder (machine-wide records need admin rights)."""

    def _parse(self, raw: bytes) -> dict[str, Any] | None:
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError as exc:  # includes UnicodeDecodeError and JSONDecodeError
            return self._damaged(f"not valid JSON ({exc})")
        if not isinstance(data, dict):
            return self._damaged("not a JSON object")
        return data

    def _damaged(self, why: str) -> None:
        # A half-written or hand-edited file must never crash the wizard: treat as absent.
        self.corrupt = True
        log.warning("ignoring damaged activation record %s: %s", self.path, why)
        return None
