"""The problem catalogue: complete, jargon-free, numbers filled in, exit codes as documented."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, date, datetime

import pytest

from app.domain import errors
from app.domain.error_codes import API_CODE_CLASSES, VALIDATION_CODES
from app.domain.errors import WizardError
from app.domain.models import LicenseSummary, ValidationResult
from app.domain.problems import CATALOGUE, GENERIC, Action, covered_codes, entry_for, exit_code_for
from app.presentation.problems import Problem, ProblemContext, problem_for, problem_for_code

JARGON = re.compile(
    r"\b(API|HTTPS?|status code|fingerprint|endpoint|exception|traceback|null|JSON|"
    r"server returned|[45]\d\d|[45]xx)\b",
    re.IGNORECASE,
)
RAW_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b")


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def _instance(cls: type[WizardError]) -> WizardError:
    """An instance of any error class, whatever its constructor wants."""
    params = inspect.signature(cls.__init__).parameters
    if "reason" in params:
        return cls("bad key", reason="too_short")
    if "skew_seconds" in params:
        return cls(skew_seconds=600.0)
    if "expires_at" in params:
        return cls(expires_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    if cls is errors.LicenseInvalidError:
        return cls("NOT_FOUND")
    return cls("technical message")


def _texts(problem: Problem) -> list[str]:
    return [problem.title, problem.what, *problem.steps, problem.label]


def _result(code: str, **license_fields) -> ValidationResult:
    license_ = LicenseSummary(id="lic_1", status="active", **license_fields)
    return ValidationResult(valid=False, code=code, license=license_, entitlements=("basic",))


WIZARD_CLASSES = _all_subclasses(WizardError)
EVERY_ERROR = [
    *(_instance(cls) for cls in WIZARD_CLASSES),
    *(cls("x", code=code) for code, cls in API_CODE_CLASSES.items()),
    *(errors.LicenseInvalidError(code, _result(code)) for code in VALIDATION_CODES),
    WizardError("anything"),
]


# --- completeness -----------------------------------------------------------------------


@pytest.mark.parametrize("cls", WIZARD_CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_has_its_own_entry(cls):
    entry = entry_for(_instance(cls))
    assert entry is not GENERIC, f"{cls.__name__} falls back to the generic problem"
    kind = "validation" if cls is errors.LicenseInvalidError else None
    assert entry.code == cls.default_code
    if kind:
        assert entry.kind == kind


@pytest.mark.parametrize("code", sorted(API_CODE_CLASSES))
def test_every_api_code_has_its_own_entry(code):
    error = API_CODE_CLASSES[code]("technical", code=code, status=422)
    entry = entry_for(error)
    assert (entry.kind, entry.code) == ("api", code)


@pytest.mark.parametrize("code", VALIDATION_CODES)
def test_every_validation_code_has_its_own_entry(code):
    entry = entry_for(errors.LicenseInvalidError(code, _result(code)))
    assert (entry.kind, entry.code) == ("validation", code)


def test_covered_codes_lists_every_code_of_the_error_tree():
    covered = covered_codes()
    assert {("validation", c) for c in VALIDATION_CODES} <= covered
    assert {("api", c) for c in API_CODE_CLASSES} | {("api", "SERVER_ERROR")} <= covered
    local = {cls.default_code for cls in WIZARD_CLASSES if not issubclass(cls, errors.ApiError)} - {
        errors.LicenseInvalidError.default_code
    }
    assert {("local", c) for c in local} <= covered


def test_server_errors_are_recognised_by_class_whatever_the_body_code():
    problem = problem_for(errors.ServerError("boom", code="INTERNAL_ERROR", status=503))
    assert problem.title == "The licensing service is having trouble"
    assert "your license is fine" in problem.what.lower()
    assert problem.action is Action.RETRY
    assert problem.code == "INTERNAL_ERROR"


def test_unknown_codes_fall_back_by_class_then_to_the_generic_problem():
    assert entry_for(errors.BusinessRuleError("x", code="NEW_RULE")).code == (
        "BUSINESS_RULE_VIOLATION"
    )
    assert entry_for(errors.LicenseInvalidError("SOMETHING_NEW")) is GENERIC
    assert entry_for(RuntimeError("not ours")) is GENERIC
    assert problem_for(RuntimeError("not ours")).steps


# --- wording rules ----------------------------------------------------------------------


@pytest.mark.parametrize("error", EVERY_ERROR, ids=repr)
def test_no_jargon_and_no_raw_codes_in_what_users_read(error):
    context = ProblemContext(support_email="help@example.com", renew_url="https://x.test/renew")
    problem = problem_for(error, product="Studio Pro", context=context)
    for text in _texts(problem):
        text = text.replace(context.renew_url, "<link>")  # the vendor's own link is fine
        assert not JARGON.search(text), f"jargon in {text!r}"
        assert not RAW_CODE.search(text), f"raw code in {text!r}"
        assert "{" not in text and "}" not in text, f"unfilled template in {text!r}"


def test_catalogue_templates_are_clean_before_filling():
    for entry in CATALOGUE.values():
        for text in (entry.title, entry.what, *entry.steps):
            assert not JARGON.search(text), f"{entry.code}: {text!r}"
            assert not RAW_CODE.search(text), f"{entry.code}: {text!r}"


@pytest.mark.parametrize("error", EVERY_ERROR, ids=repr)
def test_every_problem_has_steps_a_verb_label_and_a_support_code(error):
    problem = problem_for(error)
    assert problem.title and problem.what
    assert len(problem.steps) >= 1 and all(step.strip() for step in problem.steps)
    assert problem.label and problem.label.split()[0][0].isupper()
    assert problem.support_code.startswith("AW-")
    assert problem.severity in ("error", "warning")


def test_action_labels_are_the_documented_verbs():
    assert {a: a.label for a in Action} == {
        Action.RETRY: "Try again",
        Action.FREE_SEAT: "Free a seat",
        Action.RENEW: "Renew license",
        Action.CONTACT_SUPPORT: "Contact support",
        Action.OPEN_SETTINGS: "Check connection settings",
        Action.REENTER_KEY: "Enter a different key",
        Action.ACTIVATE: "Activate again",
        Action.CLOSE: "Close",
        Action.PROXY_SIGN_IN: "Sign in to the proxy",
    }


def test_support_codes_are_unique_per_entry():
    codes = [entry.support for entry in CATALOGUE.values()]
    assert len(codes) == len(set(codes))


def test_support_code_carries_the_request_id_and_the_code_stays_out_of_the_text():
    error = errors.MachineLimitError("x", details={"max": 2, "current": 2}, request_id="req_9f3")
    problem = problem_for(error)
    assert problem.support_code == f"{entry_for(error).support} · req_9f3"
    assert problem.code == "MACHINE_LIMIT_EXCEEDED"
    assert all("req_9f3" not in text for text in _texts(problem))


# --- the numbers the user can act on --------------------------------------------------


def test_seat_counts_come_from_the_error_details():
    error = errors.MachineLimitError("x", details={"max": 3, "current": 3})
    problem = problem_for(error)
    assert problem.title == "This license is already in use on 3 of 3 computers"
    assert problem.action is Action.FREE_SEAT


def test_seat_counts_come_from_the_error_details_or_the_context():
    error = errors.LicenseInvalidError("MACHINE_LIMIT_EXCEEDED", _result("MACHINE_LIMIT_EXCEEDED"))
    # validate-key tells no seat count: without the context's numbers none is shown
    assert problem_for(error).title == (
        "This license is already in use on all the computers it allows"
    )
    limit = errors.MachineLimitError("x", details={"max": 2, "current": 2})
    assert "2 of 2 computers" in problem_for(limit).title
    fresher = ProblemContext(seats_used=1, seats_total=1)
    assert "1 of 1 computer" in problem_for(limit, context=fresher).title
    assert "1 of 1 computer" in problem_for(error, context=fresher).title


def test_seat_limit_without_numbers_still_reads_well():
    assert problem_for(errors.MachineLimitError("x")).title == (
        "This license is already in use on all the computers it allows"
    )


def test_expiry_date_is_shown_in_words():
    expired = _result("EXPIRED", expires_at=datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    problem = problem_for(errors.LicenseInvalidError("EXPIRED", expired), product="Studio Pro")
    assert problem.title == "This license expired on 3 March 2026"
    assert problem.action is Action.RENEW
    assert problem.label == "Renew license"
    via_context = problem_for_code("EXPIRED", context=ProblemContext(expires_at=date(2025, 12, 31)))
    assert via_context.title == "This license expired on 31 December 2025"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(30, "30 seconds"), (1, "1 second"), (0.2, "1 second"), (600, "10 minutes")],
)
def test_rate_limit_shows_the_wait_and_retries_by_itself(seconds, words):
    problem = problem_for(errors.RateLimitedError("slow down", retry_after=seconds))
    assert problem.title == f"Too many attempts — trying again in {words}"
    assert problem.retry_after == seconds
    assert problem.action is Action.RETRY


@pytest.mark.parametrize(
    ("skew", "words"),
    [(-7200, "2 hours behind"), (600, "10 minutes ahead"), (3 * 86400, "3 days ahead")],
)
def test_clock_difference_is_shown_with_its_direction(skew, words):
    problem = problem_for(errors.ClockSkewError(skew_seconds=skew))
    assert problem.title == f"Your computer's clock is {words}"


def test_missing_features_are_named_and_the_button_says_upgrade():
    error = errors.LicenseInvalidError("ENTITLEMENTS_MISSING", _result("ENTITLEMENTS_MISSING"))
    context = ProblemContext(required_entitlements=("basic", "pro", "export"))
    problem = problem_for(error, product="Studio Pro", context=context)
    assert problem.title == "This license doesn't include the “Pro” and “Export” features"
    assert problem.what.startswith("Studio Pro needs")
    assert problem.action is Action.RENEW
    assert problem.label == "Upgrade license"


def test_support_and_renew_links_appear_in_the_steps():
    context = ProblemContext(support_email="help@studio.example", renew_url="https://s.example/r")
    suspended = problem_for(errors.LicenseInvalidError("SUSPENDED"), context=context)
    assert any("help@studio.example" in step for step in suspended.steps)
    assert suspended.action is Action.CONTACT_SUPPORT
    expired = problem_for_code("EXPIRED", context=context)
    assert any("https://s.example/r" in step for step in expired.steps)


def test_context_can_be_built_from_a_vendor_config():
    class Vendor:
        support_url = "https://help.example"
        support_email = None
        renew_url = None
        required_entitlements = ("pro",)

    context = ProblemContext.from_vendor(Vendor(), seats_used=4)
    assert context.required_entitlements == ("pro",)
    assert context.seats_used == 4
    assert "https://help.example" in problem_for_code("BANNED", context=context).steps[0]


def test_storage_problems_say_why_the_disk_refused():
    full = problem_for(errors.StorageError("x", details={"errno": "ENOSPC"}))
    readonly = problem_for(errors.StorageError("x", details={"errno": "EROFS"}))
    assert "disk is full" in full.what
    assert "read-only" in readonly.what
    assert full.steps[0] != readonly.steps[0]


def test_something_in_the_way_is_not_called_a_full_disk():
    cases = [  # (errno, action, path) -> the place named in the first step
        ("ENOTDIR", "create the folder", "/home/u/data", "(/home/u/data or a folder above"),
        ("EEXIST", "create the folder", "/home/u/data", "(/home/u/data or a folder above"),
        ("ENOTDIR", "read", "/home/u/data/activation.json", "(/home/u/data or a folder above"),
        ("EISDIR", "write", "/home/u/data/activation.json", "(/home/u/data/activation.json)"),
    ]
    for name, action, path, place in cases:
        details = {"errno": name, "action": action, "path": path}
        problem = problem_for(errors.StorageError("x", details=details), product="Studio Pro")
        assert "in the way" in problem.what and "Studio Pro" in problem.what
        assert "space" not in " ".join(problem.steps)
        assert problem.steps[0].startswith("Move or rename") and place in problem.steps[0]


@pytest.mark.parametrize(
    "error",
    [
        errors.ConnectFailedError("x"),
        errors.NetworkError("x"),
        errors.RequestTimeoutError("x"),
        errors.UnexpectedResponseError("x"),
        errors.SignatureInvalidError("x"),
        errors.ServerError("x", status=503),
    ],
    ids=lambda e: type(e).__name__,
)
def test_lost_answer_at_the_activate_step_says_a_retry_takes_no_extra_seat(error):
    for cli in (None, "activation-wizard activate --key-file FILE"):
        at_activate = ProblemContext(failed_step="activate", command=cli)
        steps = problem_for(error, context=at_activate).steps
        assert sum("won't use an extra seat" in step for step in steps) == 1
        for other in (None, "check_key"):
            plain = problem_for(error, context=ProblemContext(failed_step=other, command=cli))
            assert not any("seat" in step for step in plain.steps)


def test_key_format_message_becomes_the_sentence():
    error = errors.KeyFormatError(
        "This is a developer API key, not a license key.", reason="api_key"
    )
    problem = problem_for(error)
    assert problem.what == error.message
    assert problem.action is Action.REENTER_KEY


def test_outages_never_read_as_a_bad_license():
    for error in (
        errors.ServerError("x", status=502),
        errors.ConnectFailedError("x"),
        errors.RequestTimeoutError("x"),
    ):
        problem = problem_for(error)
        assert problem.action is Action.RETRY
        assert "license is" in problem.what.lower() and "invalid" not in problem.what.lower()


def test_network_specific_advice():
    assert "IT team" in " ".join(problem_for(errors.TlsError("x")).steps)
    assert "browser" in problem_for(errors.UnexpectedResponseError("x")).steps[0]
    assert problem_for(errors.ProxyError("x")).action is Action.OPEN_SETTINGS
    offline = problem_for(errors.ConnectFailedError("x"))
    assert "Wi-Fi" in offline.steps[0]


def test_problem_for_code_prefers_validation_codes_and_accepts_a_kind():
    assert problem_for_code("NOT_FOUND").action is Action.REENTER_KEY
    assert problem_for_code("NOT_FOUND", kind="api").action is Action.RETRY
    assert problem_for_code("CONNECT_FAILED").title == "You seem to be offline"
    assert problem_for_code("NO_SUCH_CODE").title == "Something went wrong"


def test_problem_renders_for_the_command_line():
    problem = problem_for(errors.MachineLimitError("x", details={"max": 2, "current": 2}))
    text = problem.as_text()
    assert text.splitlines()[0] == problem.title
    assert "1. Free a seat" in text
    assert text.endswith(f"Support code: {problem.support_code}")
    data = problem.to_json()
    assert data["code"] == "MACHINE_LIMIT_EXCEEDED"
    assert data["message"] == problem.what
    assert data["action"] == "free_seat"


GUI_ONLY = re.compile(r"\b(click|button|window|paste it here|by itself)\b", re.IGNORECASE)
CLI_CONTEXT = ProblemContext(command="activation-wizard status", program="activation-wizard")


@pytest.mark.parametrize("error", EVERY_ERROR, ids=repr)
def test_command_line_wording_names_commands_not_buttons(error):
    problem = problem_for(error, product="Studio Pro", context=CLI_CONTEXT)
    for text in (problem.title, problem.what, *problem.steps):
        assert not GUI_ONLY.search(text), text
        assert "{" not in text and "}" not in text, text


def test_command_line_retry_step_names_the_command_to_run_again():
    problem = problem_for(errors.ConnectFailedError("x"), context=CLI_CONTEXT)
    assert "Run `activation-wizard status` again." in problem.steps


def test_command_line_seat_limit_says_how_to_free_a_seat():
    error = errors.MachineLimitError("x", details={"max": 2, "current": 2})
    context = ProblemContext(command="aw activate --key-file FILE", program="aw")
    steps = problem_for(error, context=context).steps
    assert steps[0].endswith("`aw devices --key-file FILE`.")
    assert "`aw devices deactivate ID --key-file FILE`" in steps[1]
    assert steps[-1] == "Then run `aw activate --key-file FILE` again."
    assert not any("YOUR-KEY" in step for step in steps)  # README: --key is visible to others


def test_command_line_rate_limit_does_not_promise_an_automatic_retry():
    problem = problem_for(errors.RateLimitedError("x", retry_after=30), context=CLI_CONTEXT)
    assert problem.title == "Too many attempts — try again in 30 seconds"
    assert problem.steps == ("Wait 30 seconds, then run `activation-wizard status` again.",)


def test_the_wizard_keeps_its_button_wording():
    assert "Click Try again." in problem_for(errors.ConnectFailedError("x")).steps
    limit = problem_for(errors.MachineLimitError("x"))
    assert limit.steps[-1] == "Activation then continues by itself."


# --- exit codes (DESIGN.md "CLI") ----------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (errors.KeyFormatError("x", reason="empty"), 2),
        (errors.ConfigError("x", field="api_url"), 2),
        (errors.LicenseInvalidError("NOT_FOUND"), 3),
        (errors.UnauthorizedError("x", status=401), 3),
        (errors.LicenseInvalidError("MACHINE_LIMIT_EXCEEDED"), 4),
        (errors.MachineLimitError("x", status=422), 4),
        *[(errors.LicenseInvalidError(c), 5) for c in ("EXPIRED", "SUSPENDED", "REVOKED")],
        *[(errors.LicenseInvalidError(c), 5) for c in ("BANNED", "USES_EXCEEDED")],
        (errors.LicenseInvalidError("ENTITLEMENTS_MISSING"), 5),
        *[
            (errors.LicenseStateError("x", code=c), 5)
            for c in ("LICENSE_SUSPENDED", "LICENSE_REVOKED", "LICENSE_EXPIRED", "LICENSE_BANNED")
        ],
        (errors.ConnectFailedError("x"), 6),
        (errors.RequestTimeoutError("x"), 6),
        (errors.TlsError("x"), 6),
        (errors.ProxyError("x"), 6),
        (errors.UnexpectedResponseError("x"), 6),
        (errors.NetworkError("x"), 6),
        (errors.ServerError("x", status=500), 6),
        (errors.RateLimitedError("x", retry_after=3), 6),
        (errors.StorageError("x"), 7),
        (errors.KeychainUnavailableError("x"), 7),
        (errors.FingerprintUnavailableError("x"), 7),
        (errors.NotActivatedError("x"), 8),
        (errors.OfflineFileError("x"), 2),
        (errors.OfflineFileOtherComputerError("x"), 2),
        (errors.OfflineFileOtherProductError("x"), 2),
        (errors.OfflineFileExpiredError(expires_at=datetime(2026, 1, 2, tzinfo=UTC)), 5),
        (errors.OfflineNotAllowedError("x", status=422), 5),
        (errors.OfflineKeyMissingError("x"), 6),
        (errors.LicenseInvalidError("FINGERPRINT_NOT_FOUND"), 8),
        (WizardError("x"), 1),
        (RuntimeError("x"), 1),
        (None, 0),
    ],
    ids=repr,
)
def test_exit_codes_follow_the_documented_table(error, expected):
    assert exit_code_for(error) == expected


def test_every_entry_has_a_documented_exit_code():
    assert {entry.exit_code for entry in CATALOGUE.values()} <= set(range(0, 9))


def test_offline_file_problems_say_what_to_do_with_the_file():
    ended = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    expired = problem_for(errors.OfflineFileExpiredError(expires_at=ended), product="Atlas")
    assert expired.title == "This license file ended on 1 December 2026"
    assert "new request" in expired.steps[0]
    other = problem_for(errors.OfflineFileOtherComputerError("x"), product="Atlas")
    assert other.title == "This license file is for another computer"
    assert other.label == "Load a file"
    product = problem_for(errors.OfflineFileOtherProductError("x"), product="Atlas")
    assert "wasn't made for Atlas" in product.what
    damaged = problem_for(errors.OfflineFileError("x"))
    assert "changed after it was made" in damaged.what
    refused = problem_for(errors.OfflineNotAllowedError("x", status=422), product="Atlas")
    assert refused.title == "Your license can't be used without internet"
    assert refused.action is Action.CONTACT_SUPPORT


def test_offline_file_problems_name_commands_on_the_command_line():
    ctx = ProblemContext(command="activation-wizard activate --license-file FILE")
    problem = problem_for(errors.OfflineFileOtherComputerError("x"), context=ctx)
    assert "activation-wizard offline-request" in problem.steps[0]
    assert "run `activation-wizard activate --license-file FILE` again" in problem.steps[1]
