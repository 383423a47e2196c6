"""Licentric's codes: the API error code each error class stands for, and the validation codes."""

from __future__ import annotations

from app.domain.errors import (
    ApiError,
    BadRequestError,
    BusinessRuleError,
    ConflictError,
    ForbiddenError,
    LicenseStateError,
    MachineLimitError,
    NotFoundError,
    OfflineNotAllowedError,
    RateLimitedError,
    UnauthorizedError,
)

#: Licentric API error codes -> the class the client raises for them (status decides the rest).
API_CODE_CLASSES: dict[str, type[ApiError]] = {
    "VALIDATION_ERROR": BadRequestError,
    "UNAUTHORIZED": UnauthorizedError,
    "FORBIDDEN": ForbiddenError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
    "MACHINE_LIMIT_EXCEEDED": MachineLimitError,
    "FLOATING_LIMIT_EXCEEDED": BusinessRuleError,
    "PLAN_LIMIT_EXCEEDED": BusinessRuleError,
    "REFERENCE_NOT_FOUND": BusinessRuleError,
    "CONSTRAINT_VIOLATION": BusinessRuleError,
    "BUSINESS_RULE_VIOLATION": BusinessRuleError,
    "LICENSE_SUSPENDED": LicenseStateError,
    "LICENSE_REVOKED": LicenseStateError,
    "LICENSE_EXPIRED": LicenseStateError,
    "LICENSE_BANNED": LicenseStateError,
    "RATE_LIMITED": RateLimitedError,
    "OFFLINE_NOT_ALLOWED": OfflineNotAllowedError,
}

#: Validation result codes other than VALID (spec 4.3).
VALIDATION_CODES: tuple[str, ...] = (
    "EXPIRED",
    "SUSPENDED",
    "REVOKED",
    "BANNED",
    "NOT_FOUND",
    "FINGERPRINT_NOT_FOUND",
    "MACHINE_LIMIT_EXCEEDED",
    "HEARTBEAT_REQUIRED",
    "USES_EXCEEDED",
    "ENTITLEMENTS_MISSING",
)
