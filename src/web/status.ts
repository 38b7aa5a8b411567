import { AppError, type ErrorCode } from '../errors';

/** The statuses the service answers refusals with. */
export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 500 | 502 | 503;

/**
 * The one place a domain refusal becomes an HTTP status: the API, the public site and the console
 * all read this table. `satisfies` keeps it exhaustive — a code added to the catalogue without its
 * status here does not compile.
 */
export const HTTP_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN_ROLE: 403,
  FORBIDDEN_DEPARTMENT: 403,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  MALFORMED_REQUEST: 400,
  MALFORMED_TEXT: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  FILING_NOT_FOUND: 404,
  TEXT_VERSION_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  PAGE_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  MESSAGE_NOT_FAILED: 409,
  VERSION_CONFLICT: 409,
  EVENT_NOT_ALLOWED: 409,
  FILING_INCOMPLETE: 422,
  CONSULTATION_PERIOD_TOO_SHORT: 422,
  EXTENSION_NOT_LATER: 422,
  COMMENTS_UNDISPOSED: 422,
  CONSULTATION_NOT_OPEN: 409,
  CONSULTATION_NOT_FOUND: 404,
  COMMENT_NOT_FOUND: 404,
  CLUSTER_NOT_FOUND: 404,
  REDACTION_TEXT_NOT_FOUND: 422,
  COMMENT_TEXT_CHANGED: 409,
  DOCUMENT_NOT_FOUND: 404,
  FORBIDDEN_FORM: 403,
  DISPOSITION_NOT_OPEN: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  RATE_LIMITED: 429,
  MACHINE_VERSION_UNSUPPORTED: 409,
  // Sign-in (src/identity).
  SIGN_IN_FAILED: 401,
  ACCOUNT_LOCKED: 423,
  PASSWORD_TOO_SHORT: 422,
  PASSWORD_TOO_LONG: 422,
  PASSWORD_TOO_FEW_CLASSES: 422,
  PASSWORD_CONTAINS_IDENTITY: 422,
  PASSWORD_TOO_COMMON: 422,
  TOTP_CODE_MALFORMED: 400,
  TOTP_CODE_INVALID: 401,
  TOTP_NOT_ENROLLED: 409,
  TOTP_ENROLLMENT_NOT_STARTED: 409,
  SECOND_FACTOR_REQUIRED: 403,
  RECOVERY_CODE_INVALID: 401,
  LINK_INVALID: 404,
  LINK_USED: 410,
  LINK_EXPIRED: 410,
  OIDC_NOT_CONFIGURED: 404,
  OIDC_PROVIDER_UNAVAILABLE: 502,
  OIDC_STATE_MISMATCH: 400,
  OIDC_CALLBACK_REFUSED: 401,
  OIDC_CLAIM_MISSING: 403,
  JURISDICTION_NOT_FOUND: 404,
  JURISDICTION_NAME_TAKEN: 409,
  JURISDICTION_CODE_TAKEN: 409,
  JURISDICTION_INACTIVE: 409,
  DEPARTMENT_NOT_FOUND: 404,
  DEPARTMENT_NAME_TAKEN: 409,
  DEPARTMENT_CODE_INVALID: 422,
  DEPARTMENT_CODE_TAKEN: 409,
  DEPARTMENT_PARENT_INVALID: 422,
  AUDIT_TRAIL_BUSY: 503,
  DATABASE_UNAVAILABLE: 503,
  REQUEST_TIMEOUT: 503,
  INTERNAL_ERROR: 500,
} as const satisfies Record<ErrorCode, HttpStatus>;

/** The status a refusal answers with. */
export function statusOf(error: AppError | ErrorCode): HttpStatus {
  return HTTP_STATUS[error instanceof AppError ? error.code : error];
}

/**
 * Maps whatever was thrown onto a typed code: nothing leaves as an untyped 500. Shared by the
 * API's error handler and the pages' (public site, console), so a refusal the framework raises
 * itself — a broken percent-encoding, a body over its limit — is the same 4xx everywhere.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; name?: string; status?: number };
  // body-parser's own errors carry a `type`.
  if (e.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON');
  if (e.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (e.type === 'request.aborted' || e.type === 'request.size.invalid') return new AppError('MALFORMED_REQUEST');
  if (
    e.name === 'MongoNetworkError' ||
    e.name === 'MongoServerSelectionError' ||
    e.name === 'MongoNotConnectedError' ||
    e.name === 'MongoTopologyClosedError'
  ) {
    return new AppError('DATABASE_UNAVAILABLE');
  }
  // Anything else the framework refused as a client error, e.g. a broken percent-encoding.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('MALFORMED_REQUEST');
  return new AppError('INTERNAL_ERROR');
}
