/**
 * The one error shape of the REST API: `{ "error": { "status", "code", "message", "issues"? } }`.
 * `issues` lists field problems from zod (path + message) or input lines (line + message).
 */
export type ApiErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "too_many_requests"
  | "internal"
  | "bad_gateway"
  | "unavailable";

export interface ApiIssue {
  readonly path?: string;
  readonly line?: number;
  readonly message: string;
}

export interface ApiErrorBody {
  readonly error: {
    readonly status: number;
    readonly code: ApiErrorCode;
    readonly message: string;
    readonly issues?: readonly ApiIssue[];
  };
}

const CODES: Record<number, ApiErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "too_many_requests",
  500: "internal",
  502: "bad_gateway",
  503: "unavailable",
};

export function apiErrorBody(status: number, message: string, issues?: readonly ApiIssue[]): ApiErrorBody {
  return {
    error: { status, code: CODES[status] ?? "internal", message, ...(issues && issues.length > 0 ? { issues } : {}) },
  };
}

/** zod issues → API issues with dotted paths ("regions.0"). */
export function zodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ApiIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
