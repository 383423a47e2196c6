"""The relay's `/offline` page for computers without internet, and the offline API endpoint.

The page works on a phone, with or without scripts: a plain form POST is answered with the
license file as a download (or the page again with the problem in words); with scripts the
request is filled in from the QR code's URL fragment and the file downloads in place. No
external assets, a strict Content-Security-Policy, nothing cached. The page and its problems
speak the browser's language (``offline_texts``).
"""

from __future__ import annotations

import html
import logging
from importlib import resources
from string import Template
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from app.domain.errors import KeyFormatError
from app.domain.license_key import KeyRule, normalise_key
from app.i18n import N_
from app.relay.envelope import RelayError, error_response, json_response, new_request_id
from app.relay.handlers import RelayContext, read_body, read_json
from app.relay.offline import MISSING_FEATURE, IssuedFile, issue_file, parse_request
from app.relay.offline_texts import gettext_for, long_date, page_language, page_texts

log = logging.getLogger("app.relay")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
_ASSETS = {"offline.css": "text/css; charset=utf-8", "offline.js": "text/javascript; charset=utf-8"}
_UNREACHABLE = N_(
    "The licensing service can't be reached right now. Please try again in a few minutes."
)
_PLAIN = {
    "UNAUTHORIZED": N_(
        "This license key wasn't recognised. Check it in your purchase e-mail and enter it again."
    ),
    "LICENSE_REVOKED": N_("This license has been cancelled. Please contact the seller."),
    "LICENSE_BANNED": N_("This license is blocked. Please contact the seller."),
    "ENTITLEMENTS_MISSING": MISSING_FEATURE,
    "UPSTREAM_UNAVAILABLE": _UNREACHABLE,
    "UPSTREAM_TIMEOUT": _UNREACHABLE,
    "SERVICE_UNAVAILABLE": _UNREACHABLE,
}
_NOT_SET_UP = RelayError(
    503, "OFFLINE_UNAVAILABLE",
    N_("Activation without internet isn't set up for this product. Please contact the seller."),
)  # fmt: skip


async def offline_activation(request: Request, ctx: RelayContext, address: str) -> Response:
    """`POST /v1/offline-activation` (License auth, `{"request": code}`): the signed file."""
    body = await read_json(request, ctx.limits.max_body_bytes)  # cheap refusals first
    issued = await _issue(ctx, request.headers.get("authorization"), address, body)
    return json_response({"data": issued.to_json()}, headers=_no_store())


async def page(request: Request) -> Response:
    """`GET /offline`: the form (the request comes from the URL fragment, read by the script)."""
    return _page(language=page_language(request.headers.get("accept-language")))


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in _ASSETS:
        return Response("Not found", 404, headers=SECURITY_HEADERS, media_type="text/plain")
    body = resources.files("app.relay").joinpath("static", name).read_bytes()
    return Response(body, headers=SECURITY_HEADERS, media_type=_ASSETS[name])


async def form_post(request: Request, ctx: RelayContext, address: str) -> Response:
    """`POST /offline` (form fields `request`, `key`): the file as a download, or for the
    page's script (`Accept: application/json`) the JSON answer; problems in plain words."""
    wants_json = "application/json" in request.headers.get("accept", "")
    language = page_language(request.headers.get("accept-language"))
    fields: dict[str, str] = {}
    try:
        await ctx.quotas.address(address)
        fields = _form(await read_body(request, ctx.limits.max_body_bytes))
        header = "License " + _key(fields.get("key", ""), ctx.limits.key_case)
        issued = await _issue(ctx, header, address, {"request": fields.get("request")})
    except RelayError as err:
        words = gettext_for(language)(_PLAIN.get(err.code, err.message))
        plain = RelayError(err.status, err.code, words, details=err.details,
                           headers=err.headers)  # fmt: skip
        if wants_json:
            response = error_response(plain, new_request_id())
            response.headers.update(_no_store())
            return response
        return _page(
            language=language, error=plain.message, request_code=fields.get("request", ""),
            status=err.status,
        )  # fmt: skip
    if wants_json:
        body = {**issued.to_json(), "expiresText": long_date(issued.expires_at, language)}
        return json_response({"data": body}, headers=_no_store())
    disposition = f'attachment; filename="{issued.file_name}"'
    return Response(issued.text, media_type="application/octet-stream",
                    headers={**SECURITY_HEADERS, "Content-Disposition": disposition})  # fmt: skip


async def _issue(
    ctx: RelayContext, authorization: str | None, address: str, body: dict[str, object]
) -> IssuedFile:
    if ctx.signer is None:
        raise _NOT_SET_UP
    offline_request = parse_request(body)
    caller = await ctx.auth.caller(authorization, address, max_age=ctx.limits.devices_fresh_seconds)
    issued = await issue_file(ctx.upstream, caller, offline_request, ctx.signer)
    await ctx.auth.forget(caller)  # a seat may have been taken: the next read refetches
    log.info("license %s: offline file for machine %s until %s", caller.masked_key,
             issued.machine_id, issued.expires_at.isoformat())  # fmt: skip
    return issued


def _key(typed: str, key_case: str) -> str:
    try:
        return normalise_key(typed, KeyRule(upper=key_case == "upper"))
    except KeyFormatError as err:
        raise RelayError(
            400, "KEY_MALFORMED",
            N_("This doesn't look like a license key. Copy it from your purchase e-mail."),
        ) from err  # fmt: skip


def _form(raw: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(raw.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError) as err:
        raise RelayError(400, "VALIDATION_ERROR", N_("The form could not be read.")) from err
    return {name: values[0] for name, values in parsed.items() if values}


def _page(*, language: str, error: str = "", request_code: str = "", status: int = 200) -> Response:
    template = resources.files("app.relay").joinpath("static", "offline.html").read_text("utf-8")
    texts = {name: _escaped(text) for name, text in page_texts(language).items()}
    body = Template(template).substitute(
        texts,
        error=html.escape(error),
        error_hidden="" if error else " hidden",
        request=html.escape(request_code),
    )
    return Response(body, status, headers=SECURITY_HEADERS, media_type="text/html; charset=utf-8")


def _escaped(text: str) -> str:
    """A translated text for the page: escaped, but for the one markup it may carry."""
    escaped = html.escape(text, quote=True)
    return escaped.replace("&lt;strong&gt;", "<strong>").replace("&lt;/strong&gt;", "</strong>")


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}
