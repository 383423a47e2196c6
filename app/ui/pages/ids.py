"""The wizard's page ids (QWizard.setPage keys), in flow order."""

from __future__ import annotations

from enum import IntEnum


class PageId(IntEnum):
    STATUS = 0  # reopen: the stored activation (also the start page while it is looked up)
    KEY = 1
    DEVICE = 2
    ACTIVATING = 3
    RESULT = 4
    OFFLINE_REQUEST = 5  # activate without internet: this computer's request
    OFFLINE_LOAD = 6  # ... and loading the license file made for it
