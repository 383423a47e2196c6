"""The command line's offline activation: `offline-request` and `activate --license-file FILE`.

The request never holds the license key. A file is checked (vendor key, this computer,
product, expiry) before anything is stored; a damaged, foreign or other computer's file exits
2, an expired one 5, through the problems table like every other failure.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.output import Output, storage_line
from app.cli.parser import PROGRAM, UsageError
from app.domain.offline_license import MAX_FILE_CHARS
from app.i18n import _
from app.presentation.license_facts import licensee, sentence, shown_product
from app.presentation.words import compact_time, iso

if TYPE_CHECKING:  # annotations only: the services load when a command runs
    from app.services import Services


def offline_request_command(
    services: Services, args: argparse.Namespace, out: Output, _key: str | None
) -> int:
    """`offline-request [--name NAME]`: `requestCode` and `url` (the relay's page)."""
    info = services.offline.request(args.name)
    fields = {"requestCode": info.code, "url": info.url, "deviceName": info.device_name}
    lines = [_("To activate this computer without internet, use this request:"), "", info.code, ""]
    if info.url:
        lines += [_("Open this address on a phone or any computer with internet:"), info.url, ""]
    else:
        lines += [_("Enter it on the seller's page for activating without internet."), ""]
    lines += [
        _("Enter your license key there and download the license file. Then, here, run:"),
        f"  {PROGRAM} activate --license-file FILE",
    ]
    message = _("This computer's request for activating without internet.")
    return out.success("OK", message, fields, lines)


def activate_from_file(services: Services, path: str, key: str | None, out: Output) -> int:
    """`activate --license-file FILE [--key KEY]`: verify, then store with the record."""
    text = _read(Path(path))
    lic = services.offline.verify(text)
    record = services.status.stored()
    if record is not None and record.license_id != lic.license_id:
        raise UsageError(
            _(
                "This computer is already activated with another license ({key}). Run "
                "`{program} deactivate` first to free its seat, then load the file."
            ).format(key=record.key_masked, program=PROGRAM),
            code="ALREADY_ACTIVATED",
        )
    activation = services.offline.load(text, key=key)
    record, lic = activation.record, activation.license
    product = lic.product_name or services.config.product_name
    fields = {
        "machineId": record.machine_id,
        "licenseId": record.license_id,
        "deviceName": record.device_name,
        "keyStorage": activation.key_storage,
        "key": record.key_masked or None,
        "product": product,
        "licensee": licensee(lic.license_name, product),
        "expiresAt": iso(lic.license_expires_at),
        "offlineUntil": iso(lic.expires_at),
    }
    shown = shown_product(product)
    message = _("{product} is activated on this computer without internet.").format(product=shown)
    message = sentence(message)
    activated = _('Activated {product} on "{device}" without internet.')
    lines = [
        sentence(activated.format(product=shown, device=record.device_name)),
        offline_status_line(lic.expires_at, activation.key_storage),
        key_storage_line(activation.key_storage, None),
    ]
    return out.success("VALID", message, fields, lines)


#: The key storage of a computer activated from a license file without its key.
NO_KEY = "none"


def offline_status_line(until: datetime, storage: str) -> str:
    """When the file ends and what to do before then; without a key saved here, going online
    means activating with the key (``check --online`` has no key to ask with)."""
    if storage == NO_KEY:
        text = _(
            "Activated without internet, valid until {time}. Before then, load a new file the "
            "same way, or connect this computer and run `{program} activate --key-file FILE` "
            "(FILE holding your license key) to activate it online."
        )
    else:
        text = _(
            "Activated without internet, valid until {time}. Before then, load a new file the "
            "same way, or connect this computer and run `{program} check --online`."
        )
    return text.format(time=compact_time(until), program=PROGRAM)


def key_storage_line(storage: str, key_file: str | None) -> str:
    if storage == NO_KEY:
        return _("No license key is saved on this computer (it was entered on another device).")
    return storage_line(key_file)


def _read(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            # A bigger file is not a license file; reading one more character lets the check
            # refuse it as damaged instead of loading all of it.
            return handle.read(MAX_FILE_CHARS + 1)
    except OSError as err:
        raise UsageError(
            _("Cannot read the license file {path}: {reason}.").format(
                path=path, reason=err.strerror or err
            ),
            code="FILE_UNREADABLE",
        ) from err
