"""License keys as people paste them: normalising, checking the format, masking and redacting.

The key rule (Licentric documents no grammar and no case rule; keys are opaque to the server)
is the vendor's (``KeyRule``, from the ``key_pattern`` and ``key_case`` settings):
- Without ``key_pattern``, the permissive default: groups of letters and digits separated by
  single dashes — a prefix group of 2 to 8 characters, then 3 to 6 groups of 4 to 8 characters
  each, in any letter case. This covers every shape the Licentric docs show
  (``DSK-A1B2-C3D4-E5F6-G7H8``, ``LIC-7Q2M-K9PD-X4TR``, ``SPR-7Q2M-K8VD-3XTL-W9HC``) and
  longer keys, and lets obviously wrong input be explained before any request is made.
- With ``key_pattern`` (a regular expression the whole cleaned key must match), the vendor's
  pattern alone decides.
- Letter case is kept as typed, unless the vendor says keys are case-insensitive
  (``key_case = "upper"``): then the key is sent in upper case.

What ``normalise_key`` forgives: surrounding whitespace, quotes, backticks and angle brackets;
spaces and line breaks inside the key; lowercase; en/em dashes, minus signs and other unicode
dashes; zero-width characters and no-break spaces; full-width letters (NFKC); a label in front
("Key:", "License key:", "Licence:"); a whole e-mail line around the key ("Your license key is:
DSK-... Thanks!"); groups separated by spaces instead of dashes.

Regrouping a key typed without any dash is done for one shape only, the documented example
shape ``PREFIX-XXXX-XXXX-XXXX-XXXX``: the last 16 characters become four groups of four and
what is left in front (2 to 8 characters) is the prefix. Any other dashless input is refused
with reason ``grouping`` rather than guessed.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.errors import KeyFormatError
from app.i18n import _, ngettext

PREFIX_MIN, PREFIX_MAX = 2, 8
GROUP_MIN, GROUP_MAX = 4, 8
GROUPS_MIN, GROUPS_MAX = 3, 6  # groups after the prefix
MIN_CHARS = PREFIX_MIN + GROUPS_MIN * GROUP_MIN  # letters and digits, dashes not counted
MAX_CHARS = PREFIX_MAX + GROUPS_MAX * GROUP_MAX
MAX_INPUT = 10_000  # longer pastes are not a key plus some text; refuse without scanning

_GROUP = f"[A-Z0-9]{{{GROUP_MIN},{GROUP_MAX}}}"
KEY_PATTERN = re.compile(
    f"[A-Z0-9]{{{PREFIX_MIN},{PREFIX_MAX}}}(?:-{_GROUP}){{{GROUPS_MIN},{GROUPS_MAX}}}"
)
_GRAMMAR = re.compile(KEY_PATTERN.pattern, re.IGNORECASE)  # the default rule, any case


@dataclass(frozen=True)
class KeyRule:
    """The vendor's key rule: ``pattern`` (None: the default grammar) and the letter case."""

    pattern: re.Pattern[str] | None = None
    upper: bool = False  # key_case = "upper": keys are case-insensitive, sent in upper case

    def cased(self, key: str) -> str:
        return key.upper() if self.upper else key


DEFAULT_RULE = KeyRule()


def _key_regex(dash: str) -> str:
    """A key-shaped token inside other text, any case, not part of a longer word."""
    group = f"[A-Za-z0-9]{{{GROUP_MIN},{GROUP_MAX}}}"
    prefix = f"[A-Za-z0-9]{{{PREFIX_MIN},{PREFIX_MAX}}}"
    body = f"{prefix}(?:{dash}{group}){{{GROUPS_MIN},{GROUPS_MAX}}}"
    return rf"(?<![\w-]){body}(?!\w)(?!-\w)"


# A key inside other text: any case; a line break may follow a dash (wrapped e-mails), but no
# space may precede one, so "Code - ACME-..." does not swallow the word in front.
_TOKEN = re.compile(_key_regex(dash=r"-\s*"))
# Key-shaped tokens for redaction: strict dashes, any case.
_REDACT_TOKEN = re.compile(_key_regex(dash="-"))
_LABEL = re.compile(
    r"^(?:your\s+)?(?:(?:licen[cs]e|product|activation|serial)(?:\s+(?:key|code|number))?"
    r"|key|code|serial)\s*(?:is\s*)?[:=]\s*",
    re.IGNORECASE,
)
_API_KEY = re.compile(r"lk_(?:live|test)_", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@]@[^\s@]+\.[^\s@]")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]{0,15}://|\bwww\.)", re.IGNORECASE)  # bounded: linear
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_WRAPPERS = "\"'`‘’‚“”„«»‹›<>()[]{}*.,;:!? \t\r\n"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d\u02d7\u2e3a"),
    "-",
)
MASK = "…"
DOT = "•"


def normalise_key(text: str, rule: KeyRule = DEFAULT_RULE) -> str:
    """Return the key in ``text`` as it is sent (cleaned, in ``rule``'s case), or raise
    KeyFormatError saying why it is not one."""
    if len(text) > MAX_INPUT:
        raise KeyFormatError(
            _("This is far longer than a license key. Copy only the key."), reason="too_long"
        )
    core = _strip_label(_strip_wrappers(_clean(text)))
    if not core:
        raise KeyFormatError(_("Enter your license key."), reason="empty")
    if rule.pattern is not None:
        return _by_vendor_pattern(core, rule)
    # A key found as a whole token wins over gluing words together ("Code - ACME-…").
    found = _extract(core) or _exact(core) or _space_separated(core)
    return rule.cased(found or _diagnose(core))


def _by_vendor_pattern(core: str, rule: KeyRule) -> str:
    """The vendor's pattern decides; a key-shaped token inside other text is tried first."""
    assert rule.pattern is not None
    with contextlib.suppress(KeyFormatError):
        extracted = _extract(core)
        if extracted and rule.pattern.fullmatch(rule.cased(extracted)):
            return rule.cased(extracted)
    for candidate in ("".join(core.split()), _candidate(core)):
        if rule.pattern.fullmatch(rule.cased(candidate)):
            return rule.cased(candidate)
    raise KeyFormatError(_("This is not in the format of a license key."), reason="pattern")


def is_valid_key(text: str) -> bool:
    """True when ``text`` is already a key in canonical form."""
    return KEY_PATTERN.fullmatch(text) is not None


def mask_key(key: str) -> str:
    """``ABCD-…-WXYZ``: up to 4 characters of the first group and the last 4 characters.

    Never shows more than 8 real characters, nor more than half of the key's letters and
    digits, nor anything from the middle. Inputs with fewer than 12 are masked completely.
    """
    text = _clean(key or "").strip().upper()
    alnum = [c for c in text if c.isascii() and c.isalnum()]
    if len(alnum) < 12:
        return DOT * 4
    half = len(alnum) // 2
    tail = "".join(alnum[-min(4, half) :])
    head = re.match(r"[A-Z0-9]{1,4}", text.lstrip(_WRAPPERS + "-"))
    first = head.group(0)[: half - len(tail)] if head else ""
    return f"{first}-{MASK}-{tail}" if first else f"{MASK}-{tail}"


def key_prefix(key: str) -> str:
    """The key's first group in upper case (test-environment keys are recognised by it)."""
    try:
        key = normalise_key(key)
    except KeyFormatError:
        key = _clean(key).strip()
    return key.split("-", 1)[0].upper()


def redact(text: str, key: str | None = None) -> str:
    """Replace ``key`` (as typed, normalised, or without dashes; any case) and every other
    key-shaped token in ``text`` by its mask."""
    if not text:
        return text
    for variant in _variants(key):
        text = re.sub(re.escape(variant), mask_key(variant), text, flags=re.IGNORECASE)
    return _REDACT_TOKEN.sub(lambda m: mask_key(m.group(0)), text)


class KeyRedactingFilter(logging.Filter):
    """Masks key-shaped tokens (and keys it was told about) in log messages, args and tracebacks.

    Attach it to handlers; it rewrites the record in place and never drops one.
    """

    def __init__(self, keys: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self._keys: list[str] = [k for k in keys if k]

    def remember(self, key: str) -> None:
        """Also mask this key when it appears in a form that is not key-shaped (no dashes)."""
        if key and key not in self._keys:
            self._keys.append(key)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the record
            message = str(record.msg)
        record.msg, record.args = self._redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True

    def _redact(self, text: str) -> str:
        for key in self._keys:
            text = redact(text, key)
        return redact(text)


# --- steps of normalise_key -----------------------------------------------------------


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    return text.translate(_INVISIBLE).translate(_DASHES)


def _strip_wrappers(text: str) -> str:
    return text.strip(_WRAPPERS).strip()


def _strip_label(text: str) -> str:
    # Labels can be stacked with wrappers: `Key: "DSK-…"`.
    previous = None
    while previous != text:
        previous = text
        text = _strip_wrappers(_LABEL.sub("", text, count=1))
    return text


def _exact(core: str) -> str | None:
    compact = re.sub(r"\s+", "", core)
    return compact if _GRAMMAR.fullmatch(compact) else None


def _space_separated(core: str) -> str | None:
    parts = core.split()
    if not GROUPS_MIN + 1 <= len(parts) <= GROUPS_MAX + 1:
        return None
    candidate = "-".join(parts)
    return candidate if _GRAMMAR.fullmatch(candidate) else None


def _extract(core: str) -> str | None:
    # One key typed twice in two cases is still one key; the first spelling is kept.
    tokens = [re.sub(r"\s+", "", m.group(0)) for m in _TOKEN.finditer(core)]
    found = {t.upper(): t for t in reversed(tokens)}
    if len(found) > 1:
        raise KeyFormatError(
            _("This text contains more than one license key. Paste just one key."),
            reason="not_a_key",
        )
    return next(iter(found.values())) if found else None


def _diagnose(core: str) -> str:
    """Nothing key-shaped was found: explain what is wrong, or regroup a dashless key."""
    if _API_KEY.search(core):
        raise KeyFormatError(
            _(
                "This is a developer API key, not a license key. Use the license key from your "
                "purchase e-mail."
            ),
            reason="api_key",
        )
    if _URL.search(core):
        raise KeyFormatError(
            _("This looks like a web address, not a license key."), reason="not_a_key"
        )
    if "@" in core and _EMAIL.search(core):  # the guard keeps long pastes linear
        raise KeyFormatError(
            _("This looks like an e-mail address, not a license key."), reason="not_a_key"
        )
    candidate = _candidate(core)
    _check_characters(candidate)
    candidate = candidate.strip("-")
    if "-" not in candidate:
        regrouped = _regroup(candidate)
        if regrouped:
            return regrouped
    _check_length(candidate)
    _check_grouping(candidate)
    if _GRAMMAR.fullmatch(candidate):  # a lone dashed word inside a sentence
        return candidate
    raise KeyFormatError(_("This is not in the format of a license key."), reason="grouping")


def _candidate(core: str) -> str:
    """The part of ``core`` the user most likely meant as the key."""
    words = [_strip_wrappers(w) for w in core.split()]
    dashed = [w for w in words if "-" in w and any(c.isalnum() for c in w)]
    if len(words) > 1 and len(dashed) == 1:
        return dashed[0]
    return "".join(core.split())


def _check_characters(candidate: str) -> None:
    for char in candidate:
        if char not in _ALLOWED:
            raise KeyFormatError(
                _(
                    "A license key contains only letters A to Z, digits and dashes; {character} "
                    "cannot be part of one."
                ).format(character=_describe(char)),
                reason="bad_character",
            )


def _check_length(candidate: str) -> None:
    count = len(candidate.replace("-", ""))
    if count < MIN_CHARS:
        missing = MIN_CHARS - count
        raise KeyFormatError(
            ngettext(
                "This is too short for a license key: at least {n} more character needed. "
                "Copy the whole key again.",
                "This is too short for a license key: at least {n} more characters needed. "
                "Copy the whole key again.",
                missing,
            ).format(n=missing),
            reason="too_short",
        )
    if count > MAX_CHARS or candidate.count("-") > GROUPS_MAX:
        raise KeyFormatError(
            _("This is too long for a license key. Copy only the key."), reason="too_long"
        )


def _check_grouping(candidate: str) -> None:
    groups = candidate.split("-")
    if "" in groups:
        _grouping(_("This key has two dashes in a row."))
    if len(groups) < GROUPS_MIN + 1:
        _grouping(
            ngettext(
                "A license key has at least {minimum} groups; this has {n}.",
                "A license key has at least {minimum} groups; this has {n}.",
                len(groups),
            ).format(minimum=GROUPS_MIN + 1, n=len(groups))
        )
    if not PREFIX_MIN <= len(groups[0]) <= PREFIX_MAX:
        _grouping(
            ngettext(
                "The first group of a license key has {low} to {high} characters; this one "
                "has {n}.",
                "The first group of a license key has {low} to {high} characters; this one "
                "has {n}.",
                len(groups[0]),
            ).format(low=PREFIX_MIN, high=PREFIX_MAX, n=len(groups[0]))
        )
    for position, group in enumerate(groups[1:], start=2):
        if len(group) < GROUP_MIN and position == len(groups):
            _grouping(_("The last group is too short, so part of the key may be missing."))
        if not GROUP_MIN <= len(group) <= GROUP_MAX:
            _grouping(
                ngettext(
                    "Group {position} has {n} character; groups after the first have {low} "
                    "to {high}.",
                    "Group {position} has {n} characters; groups after the first have {low} "
                    "to {high}.",
                    len(group),
                ).format(position=position, n=len(group), low=GROUP_MIN, high=GROUP_MAX)
            )


def _grouping(detail: str) -> None:
    raise KeyFormatError(
        _("{detail} Check that you copied the whole key exactly.").format(detail=detail),
        reason="grouping",
    )


def _regroup(compact: str) -> str | None:
    """Dashless input in the documented example shape only (see the module docstring)."""
    tail = 4 * GROUP_MIN
    if not PREFIX_MIN <= len(compact) - tail <= PREFIX_MAX:
        return None
    head, rest = compact[:-tail], compact[-tail:]
    candidate = "-".join([head, *(rest[i : i + 4] for i in range(0, tail, 4))])
    return candidate if _GRAMMAR.fullmatch(candidate) else None


def _describe(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"“{char}”"
    name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
    return _("the invisible character “{name}”").format(name=name)


def _variants(key: str | None) -> list[str]:
    if not key:
        return []
    raw = _clean(key).strip()
    variants = {raw}
    with contextlib.suppress(KeyFormatError):
        variants.add(normalise_key(key))
    variants |= {v.replace("-", "") for v in list(variants)}
    # Very short strings would mask ordinary words; they are not keys anyway.
    return sorted((v for v in variants if len(v) >= 8), key=len, reverse=True)
