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
import { z } from "zod";

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

/** A token is a bearer secret (no spaces, colons or commas); the role says what it may do. */
const tokenEntry = z.string().regex(/^[^\s:,]+:(editor|viewer)$/, "expected <token>:<role>, with a role of editor or viewer");

const authEnvSchema = z.object({
  ALLOWLIST_API_TOKENS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const tokens = new Map<string, Role>();
      if (v === undefined || v.trim() === "") return tokens;
      v.split(",").forEach((raw, i) => {
        const item = raw.trim();
        if (item === "") return; // "a:editor," — a trailing comma names no token
        const ok = tokenEntry.safeParse(item);
        if (!ok.success) {
          // Never echo the secret: name the entry by position and its first characters.
          const shown = `"${item.slice(0, 4)}…"`;
          ctx.addIssue({ code: "custom", message: `ALLOWLIST_API_TOKENS entry ${i + 1} (${shown}): ${ok.error.issues[0]!.message}.` });
          return;
        }
        const at = item.lastIndexOf(":");
        const token = item.slice(0, at);
        if (tokens.has(token)) ctx.addIssue({ code: "custom", message: `ALLOWLIST_API_TOKENS entry ${i + 1} repeats an earlier token.` });
        tokens.set(token, item.slice(at + 1) as Role);
      });
      return tokens;
    }),
  ALLOWLIST_READONLY: z
    .enum(["", "0", "1", "true", "false"], { message: 'ALLOWLIST_READONLY must be 1, true, 0 or false.' })
    .optional(),
});

export class AuthConfigError extends Error {}

const cache = new Map<string, AuthConfig>();

/**
 * The access settings from the environment, validated once per distinct value. A malformed setting is an error that
 * names the entry: dropping it silently could leave the API open (an all-malformed token list would mean "no tokens").
 */
export function readAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  const key = `${env.ALLOWLIST_API_TOKENS ?? ""}\u0000${env.ALLOWLIST_READONLY ?? ""}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = authEnvSchema.safeParse({ ALLOWLIST_API_TOKENS: env.ALLOWLIST_API_TOKENS, ALLOWLIST_READONLY: env.ALLOWLIST_READONLY });
  if (!parsed.success) throw new AuthConfigError(parsed.error.issues.map((i) => i.message).join(" "));
  const config = { readonly: parsed.data.ALLOWLIST_READONLY === "1" || parsed.data.ALLOWLIST_READONLY === "true", tokens: parsed.data.ALLOWLIST_API_TOKENS };
  cache.set(key, config);
  return config;
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
