"""The problems table: every situation the user can meet, in plain words. Data only.

One ``Situation`` per row (see ``entry.py``): the keys it is looked up by (each with its stable
support code), a title naming it in the user's terms, one sentence on what happened, the steps
to take now, one primary ``Action``, the command line's exit code, and where the command line
needs other words (no buttons there) ``cli_title`` / ``cli_steps``.

Every text is a plain string literal with named placeholders, so the localisation work can
wrap each one for translation without touching the logic; ``app.presentation.problems`` fills
the placeholders:

- values: ``{product}``, ``{product_cap}``, ``{program}``, ``{activate}``, ``{devices}``;
- phrases, themselves messages in ``PHRASES`` below: ``{seats}``, ``{expired_on}``,
  ``{retry_in}``, ``{retry_in_short}``, ``{clock}``, ``{features}``, ``{them}``, ``{contact}``,
  ``{renew_where}``, ``{try_again}`` / ``{Try_again}``, ``{no_extra_seat}``,
  ``{storage_reason}`` / ``{storage_fix}`` (``STORAGE``, ``IN_THE_WAY``), ``{key_message}``.

Wording rules (DESIGN.md "How problems are worded"): second person, short, no jargon, no blame;
raw codes appear only in the support code. Adding a situation: see ``app/domain/problems``.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.exit_codes import (
    EXIT_BAD_INPUT,
    EXIT_KEY_NOT_FOUND,
    EXIT_NOT_ACTIVATED,
    EXIT_NOT_USABLE,
    EXIT_OK,
    EXIT_SEAT_LIMIT,
    EXIT_STORAGE,
    EXIT_UNEXPECTED,
    EXIT_UNREACHABLE,
)
from app.domain.problems.entry import API as A
from app.domain.problems.entry import LOCAL as L
from app.domain.problems.entry import VALIDATION as V
from app.domain.problems.entry import Key, Plural, Situation


class Action(StrEnum):
    """The primary button of a problem; ``label`` is its default text (a verb)."""

    RETRY = "retry"
    FREE_SEAT = "free_seat"
    RENEW = "renew"
    CONTACT_SUPPORT = "contact_support"
    OPEN_SETTINGS = "open_settings"
    REENTER_KEY = "reenter_key"
    ACTIVATE = "activate"
    CLOSE = "close"
    PROXY_SIGN_IN = "proxy_sign_in"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
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

# --- steps several situations share -------------------------------------------------------
OFFLINE_STEPS = (
    "Check that this computer is connected to the internet (Wi-Fi or network cable).",
    "{Try_again}.{no_extra_seat}",
    "On a company network, ask your IT team to allow access to the licensing service.",
)
CONTACT = "Contact {contact} and mention the support code below."
IF_AGAIN = "If it happens again, contact {contact} and mention the support code below."
IF_KEEPS = "If it keeps happening, contact {contact} and mention the support code below."
# An end date the user believes is wrong needs a person, not a payment.
IF_DATE_WRONG = "If this date is wrong, contact {contact} and mention the support code below."
FREE_SEAT_CLI = (
    "See the computers using it: run `{program} devices --key-file FILE`.",
    "Free a seat you no longer use: run `{program} devices deactivate ID --key-file FILE`.",
    "Then {try_again}.",
)
REENTER = (
    "Check the key in your purchase e-mail and enter it again exactly as shown.",
    "If it still isn't accepted, contact {contact}.",
)

# --- the situations ------------------------------------------------------------------------
# fmt: off
SITUATIONS: tuple[Situation, ...] = (
    # --- validation answered, license not usable --------------------------------------
    Situation(
       [Key(V, "EXPIRED", "AW-EXP-V")],
       "This license expired{expired_on}",
       "Your license for {product} has reached its end date, so it can't be used any more.",
       ("Renew your license{renew_where}.", "Once it is renewed, {try_again}.", IF_DATE_WRONG),
       Action.RENEW, EXIT_NOT_USABLE),
    Situation(
       [Key(V, "SUSPENDED", "AW-SUSP-V"),
        Key(A, "LICENSE_SUSPENDED", "AW-SUSP-409")],
       "This license is on hold",
       "Your license for {product} has been paused by the seller, often because of a payment that didn't go through.",
       ("Check that your latest payment went through.", CONTACT),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    Situation(
       [Key(V, "REVOKED", "AW-REVK-V"),
        Key(A, "LICENSE_REVOKED", "AW-REVK-409")],
       "This license has been cancelled",
       "The seller of {product} has cancelled this license, so it can't be used any more.",
       (CONTACT, "If you bought a new license, enter its key instead."),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    Situation(
       [Key(V, "BANNED", "AW-BAN-V"),
        Key(A, "LICENSE_BANNED", "AW-BAN-409")],
       "This license is blocked",
       "The seller of {product} has blocked this license, so it can't be used.",
       (CONTACT,), Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    Situation(
       [Key(V, "NOT_FOUND", "AW-KEY-V")],
       "This license key wasn't recognised",
       "There is no license with this key. It may have a typo, or belong to another product.",
       REENTER, Action.REENTER_KEY, EXIT_KEY_NOT_FOUND),
    Situation(
       [Key(V, "FINGERPRINT_NOT_FOUND", "AW-NOTACT-V")],
       "This computer isn't activated",
       "Your license is fine, but this computer is not one of the computers it is activated on. It may have been removed from the license.",
       ("Click Activate again to add this computer to your license.",),
       Action.ACTIVATE, EXIT_NOT_ACTIVATED,
       cli_steps=("Run `{activate}` to add this computer to your license.",)),
    Situation(
       [Key(V, "MACHINE_LIMIT_EXCEEDED", "AW-SEAT-V"),
        Key(A, "MACHINE_LIMIT_EXCEEDED", "AW-SEAT-422")],
       "This license is already in use on {seats}",
       "Your license allows a limited number of computers and all of them are taken.",
       ("Free a seat by removing a computer you no longer use.",
        "Activation then continues by itself."),
       Action.FREE_SEAT, EXIT_SEAT_LIMIT, cli_steps=FREE_SEAT_CLI),
    Situation(
       [Key(V, "HEARTBEAT_REQUIRED", "AW-BEAT-V")],
       "This computer needs to check in",
       "Your license asks each computer to check in regularly, and this one hasn't recently.",
       ("Check that this computer is connected to the internet.",
        "{Try_again} to check in now."),
       Action.RETRY, EXIT_NOT_USABLE),
    Situation(
       [Key(V, "USES_EXCEEDED", "AW-USES-V")],
       "This license has been used up",
       "Your license for {product} allows a set number of uses, and all of them are used.",
       ("Renew or extend your license{renew_where}.", "Once it is renewed, {try_again}."),
       Action.RENEW, EXIT_NOT_USABLE),
    Situation(
       [Key(V, "ENTITLEMENTS_MISSING", "AW-FEAT-V")],
       "This license doesn't include {features}",
       "{product_cap} needs {features}, and your license doesn't include {them}.",
       ("Upgrade your license{renew_where}.", "If you think it should be included, contact {contact}."),
       Action.RENEW, EXIT_NOT_USABLE, action_label="Upgrade license"),
    # --- the service answered with an error -------------------------------------------
    Situation(
       [Key(A, "VALIDATION_ERROR", "AW-REQ-400")],
       "Something went wrong sending your details",
       "The licensing service couldn't read what this computer sent. This is not a problem with your license.",
       ("{Try_again}.", IF_AGAIN),
       Action.RETRY, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "UNAUTHORIZED", "AW-KEY-401")],
       "This license key wasn't accepted",
       "The licensing service didn't accept this key. It may have a typo, or belong to another product.",
       REENTER, Action.REENTER_KEY, EXIT_KEY_NOT_FOUND),
    Situation(
       [Key(A, "FORBIDDEN", "AW-DENY-403")],
       "This isn't allowed with your license",
       "Your license key doesn't give access to this. Your license itself is not affected.",
       (CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "NOT_FOUND", "AW-GONE-404")],
       "This item no longer exists",
       "What you asked for could not be found. It may already have been removed.",
       ("{Try_again} to refresh.", IF_KEEPS),
       Action.RETRY, EXIT_UNEXPECTED,
       # Running the failed command again would fail the same way: show the fresh list.
       cli_steps=("Run `{devices}` to see the current list of computers.", IF_KEEPS)),
    Situation(
       [Key(A, "CONFLICT", "AW-DUP-409")],
       "This computer is already listed on your license",
       "Your license already includes this computer, so it was not added a second time.",
       ("{Try_again} to finish.",), Action.RETRY, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "FINGERPRINT_IN_USE", "AW-DUP-OTHER")],
       "This computer is already activated with another license",
       "This computer is registered under a different license key for {product}, and a computer can be on only one of them.",
       ("Use the license key this computer was first activated with.",
        "Or free this computer from the other license, then try again.", CONTACT),
       Action.REENTER_KEY, EXIT_NOT_USABLE),
    Situation(
       [Key(A, "FLOATING_LIMIT_EXCEEDED", "AW-FLOAT-422")],
       "All shared seats are in use right now",
       "Your license is shared, and the most computers allowed at once are using it.",
       ("Ask a colleague to close {product} on a computer they aren't using.",
        "Or free a seat by removing a computer you no longer use, then try again."),
       Action.FREE_SEAT, EXIT_SEAT_LIMIT),
    Situation(
       [Key(A, "PLAN_LIMIT_EXCEEDED", "AW-PLAN-422")],
       "The seller's licensing account is full",
       "The seller of {product} has reached a limit of their licensing account. Your license is not at fault.",
       (CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "REFERENCE_NOT_FOUND", "AW-REF-422")],
       "Part of your license setup is missing",
       "Your license refers to something the seller has since removed.",
       (CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "CONSTRAINT_VIOLATION", "AW-DUPL-422")],
       "This was already done",
       "The licensing service already has this exact entry, so nothing was changed.",
       ("{Try_again} to refresh.", IF_KEEPS),
       Action.RETRY, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "BUSINESS_RULE_VIOLATION", "AW-RULE-422")],
       "Your license doesn't allow this",
       "The rules of your license don't allow this change.",
       (CONTACT,), Action.CONTACT_SUPPORT, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "LICENSE_EXPIRED", "AW-EXP-409")],
       "This license expired{expired_on}",
       "Your license for {product} has reached its end date, so no more computers can be activated with it.",
       ("Renew your license{renew_where}.", "Then {try_again}.", IF_DATE_WRONG),
       Action.RENEW, EXIT_NOT_USABLE),
    Situation(
       [Key(A, "RATE_LIMITED", "AW-WAIT-429")],
       "Too many attempts — trying again {retry_in}",
       "The licensing service asked this computer to slow down for a moment. Your license is fine.",
       # The wait is in the title only (it counts down there): said once on the page.
       ("You don't need to do anything; this window tries again by itself.",),
       Action.RETRY, EXIT_UNREACHABLE, severity="warning", retry=True,
       cli_title="Too many attempts — try again {retry_in}",
       cli_steps=("Wait {retry_in_short}, then {try_again}.",)),
    Situation(
       [Key(A, "SERVER_ERROR", "AW-SVC-5XX")],
       "The licensing service is having trouble",
       "Your license is fine; the licensing service is having trouble right now.",
       ("Wait a few minutes.", "{Try_again}.{no_extra_seat}"),
       Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(A, "API_ERROR", "AW-SVC-ERR")],
       "The licensing service turned this down",
       "The licensing service couldn't complete this request.",
       ("{Try_again}.", IF_AGAIN),
       Action.RETRY, EXIT_UNEXPECTED),
    Situation(
       [Key(A, "OFFLINE_NOT_ALLOWED", "AW-OFF-DENY")],
       "Your license can't be used without internet",
       "The terms of your license for {product} need each computer to be connected to the internet, so no license file for a computer without internet can be made.",
       ("Connect this computer to the internet, even for a moment, and activate it online.",
        "If it can never be connected, contact {contact}."),
       Action.CONTACT_SUPPORT, EXIT_NOT_USABLE),
    # --- no usable answer (network) ---------------------------------------------------
    Situation(
       [Key(L, "NETWORK_ERROR", "AW-NET-GEN")],
       "Can't reach the licensing service",
       "This computer couldn't get an answer from the licensing service. Your license is not affected.",
       OFFLINE_STEPS, Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "CONNECT_FAILED", "AW-NET-CONN")],
       "You seem to be offline",
       "This computer couldn't connect to the licensing service. Your license is not affected.",
       OFFLINE_STEPS, Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "TIMEOUT", "AW-NET-SLOW")],
       # Most timeouts are the service's: the user's connection comes last, not first.
       "The licensing service is taking too long to answer",
       "The licensing service didn't answer in time. Your license is not affected.",
       ("Wait a minute.", "{Try_again}.{no_extra_seat}",
        "If it keeps happening, check that your internet connection is working, or ask your IT team to allow access to the licensing service."),
       Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "TLS_UNTRUSTED", "AW-NET-CERT")],
       "Your network is blocking a secure connection",
       "This computer couldn't confirm it is talking to the real licensing service. This usually means a company network is inspecting secure traffic.",
       ("Ask your IT team to install your company's security certificate on this computer.",
        "Or connect to another network, such as a phone hotspot.",
        "Then {try_again}."),
       Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "PROXY_FAILED", "AW-NET-PROXY")],
       "Your proxy setting is blocking the connection",
       "This computer connects to the internet through a proxy, and the proxy refused the connection to the licensing service.",
       ("Check your connection settings, or ask your IT team which proxy to use.",
        "Then {try_again}."),
       Action.OPEN_SETTINGS, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "PROXY_AUTH_REQUIRED", "AW-NET-PROXY-AUTH")],
       "Your network's proxy needs you to sign in",
       "This computer reaches the internet through a proxy that asks for a user name and password. Nothing was sent to the licensing service.",
       ("Sign in with the user name and password your IT team gave you (often the ones you use for this computer).", "Then {try_again}."),
       Action.PROXY_SIGN_IN, EXIT_UNREACHABLE,
       cli_steps=("Run the command again with `--proxy-user YOUR-NAME` and the password in the environment variable ACTIVATION_WIZARD_PROXY_PASSWORD.",
                  "Ask your IT team which user name and password the proxy expects.")),
    Situation(
       [Key(L, "PROXY_AUTH_FAILED", "AW-NET-PROXY-PASS")],
       "The proxy didn't accept that user name or password",
       "The proxy turned down the user name and password that were sent, so nothing reached the licensing service.",
       ("Check the user name and password and sign in again; watch for Caps Lock.",
        "If they still aren't accepted, ask your IT team."),
       Action.PROXY_SIGN_IN, EXIT_UNREACHABLE,
       cli_steps=("Check the user name given with `--proxy-user` and the password in ACTIVATION_WIZARD_PROXY_PASSWORD, then {try_again}.",
                  "If they still aren't accepted, ask your IT team.")),
    Situation(
       [Key(L, "UNEXPECTED_RESPONSE", "AW-NET-PAGE")],
       "Your network may need you to sign in",
       "An unexpected page came back instead of the licensing service. Networks in hotels, airports and offices often show a sign-in page first.",
       ("Open a web browser and sign in to the network, or accept its terms.",
        "Then {try_again}.{no_extra_seat}"),
       Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "SIGNATURE_INVALID", "AW-NET-SIGN")],
       "The answer couldn't be trusted",
       "An answer arrived but it couldn't be verified as coming from the licensing service, so it was ignored. Your license is not affected.",
       ("Connect to another network, such as a phone hotspot.", "{Try_again}.{no_extra_seat}",
        IF_KEEPS),
       Action.RETRY, EXIT_UNREACHABLE),
    Situation(
       [Key(L, "ANSWER_MISMATCH", "AW-NET-REPLAY")],
       "An answer meant for another computer was refused",
       "A signed answer arrived that was made for another computer or another license, so it was ignored. Something on this network may be replaying old answers. Your license is not affected.",
       ("Connect to another network, such as a phone hotspot.", "{Try_again}.{no_extra_seat}",
        IF_KEEPS),
       Action.RETRY, EXIT_UNREACHABLE),
    # --- this computer ----------------------------------------------------------------
    Situation(
       [Key(L, "CLOCK_SKEW", "AW-PC-CLOCK")],
       "Your computer's clock is {clock}",
       "Your computer's date or time doesn't match the real time, so licensing checks can fail.",
       ("Open your computer's date and time settings and turn on setting the time automatically.", "Then {try_again}."),
       Action.RETRY, EXIT_UNEXPECTED),
    Situation(
       [Key(L, "KEYCHAIN_UNAVAILABLE", "AW-PC-KEYS")],
       "Your saved license key couldn't be read",
       "This computer's password storage isn't available right now. Your license is not affected.",
       ("Sign in to or unlock your computer's password storage, then {try_again}.",
        "Or enter your license key again; it will be kept in a private file instead."),
       Action.RETRY, EXIT_STORAGE, severity="warning",
       cli_steps=("Sign in to or unlock your computer's password storage, then {try_again}.",
                  "Or run `{activate}` again; the key will be kept in a private file instead.")),
    Situation(
       [Key(L, "KEY_IN_FILE", "AW-PC-FILE")],
       "Your license key is saved in a private file",
       "This computer has no password storage available, so your key is kept in a file only your account can read.",
       ("Nothing to do now. If you want it in your password storage, set one up and activate again.",),
       Action.CLOSE, EXIT_OK, severity="warning"),
    Situation(
       [Key(L, "STORAGE_FAILED", "AW-PC-DISK")],
       "Your activation couldn't be saved",
       "The activation details couldn't be saved on this computer because {storage_reason}.",
       ("{storage_fix}", "Then {try_again}."),
       Action.RETRY, EXIT_STORAGE),
    Situation(
       [Key(L, "ADMIN_REQUIRED", "AW-PC-ADMIN")],
       "This needs administrator rights",
       "{product_cap} is activated for every user of this computer, and only an administrator can change that activation.",
       ("Ask your IT team to do this for you, or sign in as an administrator.",
        "Then {try_again}."),
       Action.CLOSE, EXIT_STORAGE,
       cli_steps=("Run the command as an administrator (Windows: an elevated prompt; macOS and Linux: `sudo`).", "Or ask your IT team to do this for you.")),
    Situation(
       [Key(L, "FINGERPRINT_UNAVAILABLE", "AW-PC-ID")],
       "This computer couldn't be identified",
       "Activation needs a stable identity for this computer, and the system didn't provide one.",
       ("Restart your computer and {try_again}.",
        IF_KEEPS),
       Action.RETRY, EXIT_STORAGE),
    Situation(
       [Key(L, "ENVIRONMENT_MISMATCH", "AW-KEY-ENV")],
       "This is a test key",
       "This key belongs to the seller's testing setup and can't activate the released version of {product}.",
       ("Enter the license key from your purchase e-mail.",
        "If that is the key you used, contact {contact}."),
       Action.REENTER_KEY, EXIT_KEY_NOT_FOUND),
    Situation(
       [Key(L, "NOT_ACTIVATED", "AW-NOTACT")],
       "This computer isn't activated yet",
       "No activation of {product} is saved on this computer.",
       ("Click Activate again and enter your license key.",),
       Action.ACTIVATE, EXIT_NOT_ACTIVATED,
       cli_steps=("Run `{activate}` with the key from your purchase e-mail.",)),
    Situation(
       [Key(L, "RELAY_NOT_CONFIGURED", "AW-DEV-OFF")],
       "Devices can't be managed here",
       "This version of {product} can't show the computers on your license.",
       ("Manage your computers in your account on the seller's website.",
        "Or contact {contact} to free a seat for you."),
       Action.CONTACT_SUPPORT, EXIT_BAD_INPUT),
    Situation(
       [Key(L, "CANCELLED", "AW-STOP")],
       "Activation cancelled",
       "You stopped the activation. Nothing was changed on this computer.",
       ("Click Close, or start again when you're ready.",),
       Action.CLOSE, EXIT_UNEXPECTED, severity="warning",
       cli_steps=("{Try_again} when you're ready.",)),
    Situation(
       [Key(L, "KEY_MALFORMED", "AW-KEY-FMT")],
       "This doesn't look like a license key",
       "{key_message}",
       ("Copy the key from your purchase e-mail and paste it here.",),
       Action.REENTER_KEY, EXIT_BAD_INPUT,
       cli_steps=("Copy the key from your purchase e-mail, then {try_again} with it.",)),
    # --- offline license files --------------------------------------------------------
    Situation(
       [Key(L, "OFFLINE_FILE_DAMAGED", "AW-OFF-BAD")],
       "This license file is damaged",
       "The file couldn't be read, or it was changed after it was made, so it can't be trusted.",
       ("Download the license file again and load it without opening or editing it.",
        "If you pasted it, copy all of it, from the BEGIN line to the END line.",
        IF_KEEPS),
       Action.RETRY, EXIT_BAD_INPUT, action_label="Load a file",
       cli_steps=("Download the license file again without opening or editing it.",
                  "Then {try_again} with the new file.", IF_KEEPS)),
    Situation(
       [Key(L, "OFFLINE_FILE_OTHER_COMPUTER", "AW-OFF-PC")],
       "This license file is for another computer",
       "It was made from another computer's request and works only on that computer.",
       ("On this computer, choose Activate without internet to get this computer's request.",
        "Use that request on the activation page to download a file for this computer."),
       Action.RETRY, EXIT_BAD_INPUT, action_label="Load a file",
       cli_steps=("Run `{program} offline-request` on this computer and use its request to download a new file.",
                  "Then {try_again} with the new file.")),
    Situation(
       [Key(L, "OFFLINE_FILE_OTHER_PRODUCT", "AW-OFF-PROD")],
       "This license file is for another product",
       "It wasn't made for {product}, so it can't activate {product}.",
       ("Check that you downloaded the file from the activation page for {product}.",
        "If you did, contact {contact} and mention the support code below."),
       Action.RETRY, EXIT_BAD_INPUT, action_label="Load a file",
       cli_steps=("Check that you downloaded the file from the activation page for {product}.",
                  "Then {try_again} with the right file.")),
    Situation(
       [Key(L, "OFFLINE_FILE_EXPIRED", "AW-OFF-EXP")],
       "This license file ended{expired_on}",
       "A license file for a computer without internet is valid for a limited time, and this file's time is up.",
       ("Get a new file the same way: make a new request and load the file it gives you.",
        "Or, once this computer is connected to the internet, activate it online."),
       Action.RETRY, EXIT_NOT_USABLE, action_label="Load a file",
       cli_steps=("Run `{program} offline-request` and use the request to download a new file.",
                  "Then {try_again} with the new file, or run `{activate}` once this computer is online.")),
    Situation(
       [Key(L, "OFFLINE_NO_KEY", "AW-OFF-KEY")],
       "Your license can't be checked online from here yet",
       "This computer was activated without internet, and your license key isn't saved on it.",
       ("While this computer is connected, click Activate again and enter your license key. "
        "It keeps this computer's seat.",
        "Until then, {product} stays activated until the license file ends."),
       Action.ACTIVATE, EXIT_UNREACHABLE,
       cli_steps=("While this computer is connected, run `{activate}`. It keeps this "
                  "computer's seat.",
                  "Until then, `{program} check` works without internet until the file ends.")),
    Situation(
       [Key(L, "CONFIG_INVALID", "AW-CFG")],
       "{product_cap} is not set up correctly",
       "The activation settings that came with {product} have a mistake.",
       (CONTACT,), Action.CONTACT_SUPPORT, EXIT_BAD_INPUT),
    Situation(
       [Key(L, "LOCAL_ERROR", "AW-PC-GEN")],
       "Something on this computer got in the way",
       "Activation couldn't finish because of a problem on this computer.",
       ("Restart your computer and {try_again}.",
        IF_KEEPS),
       Action.RETRY, EXIT_UNEXPECTED),
    Situation(
       [Key(L, "UNEXPECTED", "AW-BUG")],
       "Something unexpected went wrong",
       "{product_cap} ran into a problem it didn't expect. Your license is not affected.",
       ("{Try_again}.",
        "If it happens again, click Copy details for support and send them to {contact}."),
       Action.RETRY, EXIT_UNEXPECTED,
       cli_steps=("{Try_again}.",
                  "If it happens again, run it with --verbose and send the output to {contact}.")),
    Situation(
       [Key(L, "UNKNOWN", "AW-GEN")],
       "Something went wrong",
       "Activation couldn't finish. Your license is not affected.",
       ("{Try_again}.", IF_AGAIN),
       Action.RETRY, EXIT_UNEXPECTED),
)
# fmt: on

#: The situation of anything the table does not know.
GENERIC_KEY = (L, "UNKNOWN")

# --- phrases the placeholders above are filled with -----------------------------------------
# fmt: off
PHRASES: dict[str, str | Plural] = {
    # {seats}: counted by the total when known, else by the computers in use
    "seats_used_of_total": Plural("{used} of {total} computer", "{used} of {total} computers"),
    "seats_all_of_total": Plural("all {total} computer it allows", "all {total} computers it allows"),
    "seats_used": Plural("{used} computer", "{used} computers"),
    "seats_unknown": "all the computers it allows",
    # {expired_on}: after "This license expired"
    "expired_on": " on {date}",
    "expired_on_unknown": "",
    # {retry_in} / {retry_in_short}: the wait before trying again
    "retry_in": "in {duration}",
    "retry_in_unknown": "in a moment",
    "retry_in_short": "{duration}",
    "retry_in_short_unknown": "a moment",
    # {clock}: after "Your computer's clock is"
    "clock_ahead": "{duration} ahead",
    "clock_behind": "{duration} behind",
    "clock_unknown": "set to the wrong time",
    # {features} / {them}: the entitlements the license lacks
    "feature_name": "“{name}”",
    "feature_list": "{names} and {last}",
    "feature_list_separator": ", ",
    "features": Plural("the {names} feature", "the {names} features"),
    "features_unknown": "the features this product needs",
    "them": Plural("it", "them"),
    # {contact}: who helps
    "contact_email": "support at {email}",
    "contact_url": "support at {url}",
    "contact_seller": "the seller of {product}",
    # {renew_where}: after "Renew your license"
    "renew_where": " at {url}",
    "renew_where_unknown": "",
    # {key_message}: when the key check gave no sentence of its own
    "key_message_unknown": "What you entered can't be a license key.",
    # {try_again} / {Try_again}: a button in the wizard, a command on the command line
    "try_again": "click Try again",
    "Try_again": "Click Try again",
    "try_again_cli": "run `{command}` again",
    "Try_again_cli": "Run `{command}` again",
    # {no_extra_seat}: when the answer was lost after the server may have added this computer
    "no_extra_seat": " This won't use an extra seat on your license, even if this computer was added just before the connection broke.",
    "no_extra_seat_unknown": "",
}

# {storage_reason} / {storage_fix} by the errno of a failed save: (reason, fix)
STORAGE: dict[str, tuple[str, str]] = {
    "ENOSPC": ("the disk is full", "Free up some disk space."),
    "EDQUOT": ("your disk quota is used up", "Free up some disk space."),
    "EROFS": ("the disk is read-only", "Ask your IT team to make your user folder writable."),
    "EACCES": ("you don't have permission to save there", "Ask your IT team to give your account access to its own settings folder."),
    "EPERM": ("you don't have permission to save there", "Ask your IT team to give your account access to its own settings folder."),
}
STORAGE_UNKNOWN = ("the disk didn't accept it", "Check that your disk has free space.")

# Something of the wrong kind sits at the path: free space or permissions won't help.
# (reason, fix, {where} when the path is known)
IN_THE_WAY: dict[str, tuple[str, str, str]] = {
    "ENOTDIR": ("a file is in the way of the folder where {product} keeps its settings",
                "Move or rename the file that sits where that folder should be{where}.",
                " ({path} or a folder above it)"),
    "EISDIR": ("a folder is in the way of a file where {product} keeps its settings",
               "Move or rename the folder that sits where that file should be{where}.",
               " ({path})"),
    # the settings folder itself is a file
    "EEXIST": ("a file is in the way of the folder where {product} keeps its settings",
               "Move or rename the file that sits where that folder should be{where}.",
               " ({path} or a folder above it)"),
}
# fmt: on

__all__ = [
    "ACTION_LABELS",
    "GENERIC_KEY",
    "IN_THE_WAY",
    "PHRASES",
    "SITUATIONS",
    "STORAGE",
    "STORAGE_UNKNOWN",
    "Action",
]
