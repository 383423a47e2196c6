"""Request-body checking that answers like Licentric (Zod-style issues in a 400)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .wire import ApiError, parse_iso

MAX_BODY_BYTES = 64 * 1024
PLATFORMS = ("macos", "windows", "linux", "docker", "kubernetes")

_TYPE_NAMES = {
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    dict: "object",
    list: "array",
    type(None): "null",
}


@dataclass(frozen=True)
class Field:
    kind: str  # string | int | number | bool | object | strings | datetime
    required: bool = False
    nullable: bool = False
    min: float | None = None  # length for strings, value for numbers
    max: float | None = None
    choices: tuple[str, ...] | None = None


def issue(path: list[Any], message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"path": path, "message": message, "code": code, **extra}


def validation_error(issues: list[dict[str, Any]]) -> ApiError:
    return ApiError(400, "VALIDATION_ERROR", "Validation failed", {"issues": issues})


def parse_json_body(raw: bytes, *, required: bool = True) -> dict[str, Any]:
    """Decode a JSON object body or raise the 400 the API gives for it."""
    if len(raw) > MAX_BODY_BYTES:
        raise validation_error(
            [
                issue(
                    [],
                    f"Request body exceeds {MAX_BODY_BYTES} bytes",
                    "too_big",
                    maximum=MAX_BODY_BYTES,
                )
            ]
        )
    if not raw.strip():
        if required:
            raise validation_error(
                [issue([], "Required", "invalid_type", expected="object", received="undefined")]
            )
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise validation_error([issue([], "Invalid JSON body", "invalid_json")]) from None
    if not isinstance(body, dict):
        raise validation_error(
            [
                issue(
                    [],
                    f"Expected object, received {_received(body)}",
                    "invalid_type",
                    expected="object",
                    received=_received(body),
                )
            ]
        )
    return body


def _received(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _check(name: str, spec: Field, value: Any) -> list[dict[str, Any]]:
    path = [name]
    if value is None:
        if spec.nullable:
            return []
        return [
            issue(
                path,
                "Expected " + _expected(spec) + ", received null",
                "invalid_type",
                expected=_expected(spec),
                received="null",
            )
        ]
    ok = {
        "string": isinstance(value, str),
        "datetime": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "object": isinstance(value, dict),
        "strings": isinstance(value, list),
    }[spec.kind]
    if not ok:
        return [
            issue(
                path,
                f"Expected {_expected(spec)}, received {_received(value)}",
                "invalid_type",
                expected=_expected(spec),
                received=_received(value),
            )
        ]
    if spec.kind == "strings":
        return [
            issue(
                [name, i],
                f"Expected string, received {_received(v)}",
                "invalid_type",
                expected="string",
                received=_received(v),
            )
            for i, v in enumerate(value)
            if not isinstance(v, str)
        ]
    if spec.kind == "datetime":
        try:
            parse_iso(value)
        except ValueError:
            return [issue(path, "Invalid datetime", "invalid_string", validation="datetime")]
        return []
    if spec.choices is not None and value not in spec.choices:
        opts = " | ".join(f"'{c}'" for c in spec.choices)
        return [
            issue(
                path,
                f"Invalid enum value. Expected {opts}, received '{value}'",
                "invalid_enum_value",
                options=list(spec.choices),
                received=value,
            )
        ]
    size = len(value) if spec.kind == "string" else value
    if spec.min is not None and size < spec.min:
        msg = (
            f"String must contain at least {int(spec.min)} character(s)"
            if spec.kind == "string"
            else f"Number must be greater than or equal to {spec.min}"
        )
        return [issue(path, msg, "too_small", minimum=spec.min, type=spec.kind)]
    if spec.max is not None and size > spec.max:
        msg = (
            f"String must contain at most {int(spec.max)} character(s)"
            if spec.kind == "string"
            else f"Number must be less than or equal to {spec.max}"
        )
        return [issue(path, msg, "too_big", maximum=spec.max, type=spec.kind)]
    return []


def _expected(spec: Field) -> str:
    return {"int": "number", "strings": "array", "bool": "boolean", "datetime": "string"}.get(
        spec.kind, spec.kind
    )


def check(body: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
    """Validate `body` against `fields`; unknown keys are dropped (Zod strips them)."""
    issues: list[dict[str, Any]] = []
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in body:
            if spec.required:
                issues.append(
                    issue(
                        [name],
                        "Required",
                        "invalid_type",
                        expected=_expected(spec),
                        received="undefined",
                    )
                )
            continue
        found = _check(name, spec, body[name])
        issues.extend(found)
        if not found:
            out[name] = body[name]
    if issues:
        raise validation_error(issues)
    return out
