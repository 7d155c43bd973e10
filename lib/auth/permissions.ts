/**
 * Who may do what. Allowlist Admin is self-hosted and usually runs for one team, so the default is open for people
 * on the dashboard; an operator narrows it with environment variables:
 *
 * - ALLOWLIST_READONLY=1: the dashboard and anonymous API callers may read but not write.
 * - ALLOWLIST_API_TOKENS="token1:editor,token2:viewer": API callers present `Authorization: Bearer <token>`.
 *   When tokens are configured, API calls without a valid token are refused (401), and the dashboard follows
 *   ALLOWLIST_READONLY.
 *
 * Every server action and route handler calls `authorize` itself — middleware alone is not trusted.
 */
export type Role = "viewer" | "editor";
export type Permission =
  | "catalog:read"
  | "catalog:import"
  | "firewall:read"
  | "firewall:write"
  | "feed:write"
  | "notification:write"
  | "export:create"
  | "diff:run";

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["catalog:read", "firewall:read", "diff:run", "export:create"],
  // catalog:import is an admin's action in the design; until accounts and the admin role exist, editors hold it.
  editor: ["catalog:read", "firewall:read", "diff:run", "export:create", "firewall:write", "catalog:import", "feed:write", "notification:write"],
};

export interface Session {
  readonly role: Role;
  /** "dashboard", "anonymous" or "token:<first 4 chars>…" — for logs, never the secret. */
  readonly actor: string;
}

export type AuthResult =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

export function can(session: Session, permission: Permission): boolean {
  return GRANTS[session.role].includes(permission);
}

interface AuthConfig {
  readonly readonly: boolean;
  readonly tokens: ReadonlyMap<string, Role>;
}

export function readAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  const tokens = new Map<string, Role>();
  for (const item of (env.ALLOWLIST_API_TOKENS ?? "").split(",")) {
    const [token, role] = item.trim().split(":");
    if (token && (role === "editor" || role === "viewer")) tokens.set(token, role);
  }
  return { readonly: env.ALLOWLIST_READONLY === "1" || env.ALLOWLIST_READONLY === "true", tokens };
}

/** The session of a dashboard user (server actions, pages). */
export function dashboardSession(config: AuthConfig): Session {
  return { role: config.readonly ? "viewer" : "editor", actor: "dashboard" };
}

/** The session of an API caller, from its Authorization header. */
export function apiSession(config: AuthConfig, authorization: string | null): AuthResult {
  if (config.tokens.size === 0) {
    return { ok: true, session: { role: config.readonly ? "viewer" : "editor", actor: "anonymous" } };
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const role = match?.[1] ? config.tokens.get(match[1]) : undefined;
  if (!match?.[1] || !role) {
    return { ok: false, status: 401, message: "This API needs a valid token: send Authorization: Bearer <token>." };
  }
  return { ok: true, session: { role, actor: `token:${match[1].slice(0, 4)}…` } };
}

/** Checks one permission; the message names it so a refused caller knows what to ask for. */
export function authorize(session: Session, permission: Permission): AuthResult {
  return can(session, permission)
    ? { ok: true, session }
    : { ok: false, status: 403, message: `Your role (${session.role}) does not allow ${permission}.` };
}
