"""The one place the UI turns a WizardError into words: adapts ``app.presentation.problems``."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.config import VendorConfig
from app.domain.errors import RateLimitedError, WizardError
from app.presentation.problems import ProblemContext, problem_for, problem_message


@dataclass(frozen=True)
class ProblemInfo:
    title: str
    happened: str
    steps: tuple[str, ...]
    action: str  # the action id (retry, free_seat, renew, contact_support, reenter_key...)
    action_label: str  # the verb on the primary button
    support_code: str
    request_id: str | None = None
    retry_after: int | None = None  # whole seconds, for a rate limit's countdown


def describe(
    error: WizardError,
    config: VendorConfig,
    *,
    seconds_left: float | None = None,
    failed_step: str | None = None,
) -> ProblemInfo:
    """The problem for ``error``; ``seconds_left`` re-words a countdown as it runs,
    ``failed_step`` is the activation step that failed (a failure while registering this
    computer says no extra seat will be used)."""
    numbers: dict[str, object] = {"failed_step": failed_step}
    if seconds_left is not None:
        numbers["retry_after"] = seconds_left
    problem = problem_for(
        error,
        product=config.product_name,  # the vendor's name, as the command line says
        context=ProblemContext.from_vendor(config, **numbers),
    )
    retry_after = None
    if isinstance(error, RateLimitedError) or problem.retry_after is not None:
        seconds = problem.retry_after if problem.retry_after is not None else error.retry_after
        retry_after = max(1, math.ceil(seconds))  # type: ignore[union-attr]
    return ProblemInfo(
        title=problem.title,
        happened=problem.what,
        steps=tuple(problem.steps),
        action=problem.action.value,
        action_label=problem.label,
        support_code=problem.support_code,
        request_id=error.request_id,
        retry_after=retry_after,
    )


def problem_summary(error: WizardError, config: VendorConfig) -> str:
    """Title and sentence in one line, for small spaces (the device page): the command
    line's message for the same error."""
    product = config.product_name
    return problem_message(
        problem_for(error, product=product, context=ProblemContext.from_vendor(config))
    )
