"""A failure in the user's words: the table's entry for it with the numbers filled in.

``problem_for(error, product=..., context=...)`` picks the entry of ``app.domain.problems``
for ``error`` and fills its templates with what the user can act on: seats used of total, the
expiry date, the wait before retrying, a clock difference, the vendor's links, and on the
command line the command to run instead of a button to click.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from app.domain.errors import RateLimitedError, WizardError
from app.domain.problems import Action, Entry, entry_for, entry_for_code
from app.i18n import _, pgettext
from app.presentation.problem_facts import facts, translated


@dataclass(frozen=True)
class Problem:
    """What the user sees for one failure. ``code`` is for JSON/CLI and the support line only."""

    title: str
    what: str
    steps: tuple[str, ...]
    action: Action
    support_code: str
    code: str
    severity: str = "error"  # "error" | "warning"
    retry_after: float | None = None
    action_label: str | None = None  # copy override, e.g. "Upgrade license" for RENEW

    @property
    def label(self) -> str:
        """The primary button's text."""
        return self.action_label or self.action.label

    def as_text(self) -> str:
        """Title, sentence, numbered steps and support code: for the CLI and support reports."""
        lines = [self.title, self.what, ""]
        lines += [f"{n}. {step}" for n, step in enumerate(self.steps, start=1)]
        return "\n".join([*lines, "", _("Support code: {code}").format(code=self.support_code)])

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "message": self.what,
            "steps": list(self.steps),
            "action": self.action.value,
            "action_label": self.label,
            "support_code": self.support_code,
            "severity": self.severity,
            "retry_after": self.retry_after,
        }


class VendorLinks(Protocol):
    """What a problem takes from the vendor's configuration (``app.config.VendorConfig``)."""

    required_entitlements: Sequence[str]
    support_url: str | None
    support_email: str | None
    renew_url: str | None


@dataclass(frozen=True)
class ProblemContext:
    """Numbers and links the user can act on. Values set here win over those read from the
    error (the caller may know fresher numbers, e.g. a device list fetched afterwards)."""

    seats_used: int | None = None
    seats_total: int | None = None
    expires_at: datetime | date | None = None
    retry_after: float | None = None
    skew_seconds: float | None = None  # this computer minus the service; negative = behind
    required_entitlements: tuple[str, ...] = ()
    missing_entitlements: tuple[str, ...] = ()
    support_url: str | None = None
    support_email: str | None = None
    renew_url: str | None = None
    # Set by the command line: the command to run again (never with the real key). Steps
    # then name commands instead of buttons.
    command: str | None = None
    program: str = "activation-wizard"
    # The step of the activation that failed ("check_key", "activate"...; Step values), when
    # known: after "activate" the server may already have added this computer.
    failed_step: str | None = None

    @property
    def for_command_line(self) -> bool:
        return self.command is not None

    @classmethod
    def from_vendor(cls, config: VendorLinks, **numbers: Any) -> ProblemContext:
        """Links and required entitlements from a VendorConfig-like object, plus ``numbers``."""
        return cls(
            required_entitlements=tuple(config.required_entitlements or ()),
            support_url=config.support_url,
            support_email=config.support_email,
            renew_url=config.renew_url,
            **numbers,
        )


def problem_for(
    error: BaseException, *, product: str = "", context: ProblemContext | None = None
) -> Problem:
    """The plain-language problem for ``error`` with the numbers from ``context`` and ``error``."""
    entry = entry_for(error)
    ctx = context or ProblemContext()
    ours = error if isinstance(error, WizardError) else None
    retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
    return _render(
        entry,
        facts(error, product, ctx),
        code=ours.code if ours is not None else entry.code,
        request_id=ours.request_id if ours is not None else None,
        retry_after=ctx.retry_after if ctx.retry_after is not None else retry_after,
        cli=ctx.for_command_line,
    )


def problem_for_code(
    code: str,
    *,
    kind: str | None = None,
    product: str = "",
    context: ProblemContext | None = None,
) -> Problem:
    """The problem for a bare code (CLI/JSON, cached validation answers). Validation codes
    win over API codes of the same name unless ``kind`` says otherwise."""
    ctx = context or ProblemContext()
    return _render(
        entry_for_code(code, kind),
        facts(None, product, ctx),
        code=code,
        request_id=None,
        retry_after=ctx.retry_after,
        cli=ctx.for_command_line,
    )


# --- filling in the numbers -------------------------------------------------------------


def _render(
    entry: Entry,
    facts: dict[str, str],
    *,
    code: str,
    request_id: str | None,
    retry_after: float | None,
    cli: bool = False,
) -> Problem:
    support = f"{entry.support} · {request_id}" if request_id else entry.support
    title = (entry.cli_title if cli else None) or entry.title
    steps = (entry.cli_steps if cli else None) or entry.steps
    return Problem(
        title=translated(title).format_map(facts),
        what=translated(entry.what).format_map(facts),
        steps=tuple(translated(step).format_map(facts) for step in steps),
        action=entry.action,
        support_code=support,
        code=code,
        severity=entry.severity,
        retry_after=retry_after if entry.retry else None,
        action_label=translated(entry.action_label or entry.action.label),
    )


def problem_message(problem: Problem) -> str:
    """The title and the sentence as one plain message: the command line's ``message``, the
    device page's one-line summary."""
    title = problem.title.strip()
    if title and title[-1] not in ".!?。！？":
        # Translators: the full stop added after a problem's title when it has none.
        title += pgettext("end of a sentence", ".")
    # Translators: what separates two sentences (Japanese and Chinese: nothing).
    return f"{title}{pgettext('between sentences', ' ')}{problem.what}".strip()


__all__ = [
    "Problem",
    "ProblemContext",
    "problem_for",
    "problem_for_code",
    "problem_message",
]


def action_label(action: Action) -> str:
    """The button text of ``action`` in the active language (a way forward offered beside a
    problem's own primary action: "Try again", "Enter a different key")."""
    return translated(action.label)
