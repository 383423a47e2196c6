"""``devices`` and ``devices deactivate ID``: the license's computers, through the relay.

A device id is checked before any request: the relay only knows UUIDs, so anything else is a
typo (exit 2). An id the license does not have (already deactivated, another license's) is
"not found" (exit 3) with the way to the current list, never "try again".
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from app.cli.output import Output, device_fields, device_line, seats_sentence
from app.cli.parser import PROGRAM, UsageError
from app.domain.errors import NotFoundError
from app.domain.exit_codes import EXIT_KEY_NOT_FOUND
from app.i18n import _

if TYPE_CHECKING:  # annotations only: the services load when a command runs
    from app.domain.models import DeviceList
    from app.services import Services

_DEVICE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def devices_command(services: Services, args: argparse.Namespace, out: Output,
                    key: str | None) -> int:  # fmt: skip
    machine_id = getattr(args, "id", None)
    if machine_id is not None:
        return _deactivate_device(services, out, machine_id, key)
    devices = services.devices
    listing: DeviceList = devices.list(key)
    rows = [device_fields(m, devices.is_this_computer(m)) for m in listing.devices]
    seats = {"used": listing.machine_count, "max": listing.max_machines}  # max None: no limit
    message = seats_sentence(listing.machine_count, listing.max_machines)
    lines = [message, *(device_line(row) for row in rows)]
    return out.success("OK", message, {"devices": rows, "seats": seats}, lines)


def _deactivate_device(services: Services, out: Output, machine_id: str, key: str | None) -> int:
    # The key given on the command line is given again (from a file) to see the list.
    listing = f"{PROGRAM} devices" + (" --key-file FILE" if key else "")
    if not _DEVICE_ID.match(machine_id):
        raise UsageError(
            _("“{id}” is not a computer's id. Copy the id from the list: run `{command}`.").format(
                id=machine_id, command=listing
            ),
            code="BAD_DEVICE_ID",
        )
    devices = services.devices
    if machine_id == devices.this_machine_id:
        raise UsageError(
            _(
                "That is this computer. Use `{program} deactivate` to deactivate this computer."
            ).format(program=PROGRAM),
            code="THIS_COMPUTER",
        )
    try:
        devices.deactivate(machine_id, key)
    except NotFoundError as exc:
        raise UsageError(
            _(
                "No computer with the id {id} is on this license; it may already be "
                "deactivated. Run `{command}` for the current list."
            ).format(id=machine_id, command=listing),
            code="DEVICE_NOT_FOUND",
            exit_code=EXIT_KEY_NOT_FOUND,
        ) from exc
    message = _("The computer is deactivated and its seat is free.")
    return out.success("OK", message, {"machineId": machine_id}, [message])


__all__ = ["devices_command"]
