/**
 * Who may do what. Every person signs in (lib/auth/server.ts) and holds one role; API callers present a personal
 * token (`Authorization: Bearer …`) whose role is at most its owner's. Every server action, route handler and page
 * checks its permission itself (lib/auth/actor.ts) — the header's links and the proxy's redirect are only comfort.
 */
import { z } from "zod";

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export type Permission =
  | "catalog:read"
  | "catalog:import"
  | "firewall:read"
  | "firewall:write"
  | "feed:read"
  | "feed:write"
  | "notification:read"
  | "notification:write"
  | "export:create"
  | "diff:run"
  | "token:own"
  | "user:admin"
  | "audit:read";

const VIEWER: readonly Permission[] = [
  "catalog:read",
  "firewall:read",
  "feed:read",
  "notification:read",
  "diff:run",
  "export:create",
  "token:own",
];
const EDITOR: readonly Permission[] = [...VIEWER, "firewall:write", "feed:write"];
const ADMIN: readonly Permission[] = [...EDITOR, "catalog:import", "notification:write", "user:admin", "audit:read"];

const GRANTS: Record<Role, readonly Permission[]> = { viewer: VIEWER, editor: EDITOR, admin: ADMIN };

/** The role's rank: a token's role may not rank above its owner's. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** The lower of two roles: a token never does more than its owner may do today. */
export function lowerRole(a: Role, b: Role): Role {
  return roleRank(a) <= roleRank(b) ? a : b;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A signed-in person, an API token, or the CLI on the server itself. */
export interface Session {
  readonly role: Role;
  /** For logs and the audit trail, never a secret: "user:ann@example.com", "token:ci (ann@example.com)", "cli:root". */
  readonly actor: string;
  /** The user behind it (null for the CLI acting as the machine's owner). */
  readonly userId: string | null;
  readonly email: string | null;
  /** The API token used, when the caller presented one. */
  readonly tokenId?: number;
}

export type AuthResult =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

export function can(session: Session, permission: Permission): boolean {
  return GRANTS[session.role].includes(permission);
}

/** Checks one permission; the message names it so a refused caller knows what to ask for. */
export function authorize(session: Session, permission: Permission): AuthResult {
  return can(session, permission)
    ? { ok: true, session }
    : { ok: false, status: 403, message: `Your role (${session.role}) does not allow ${permission}.` };
}

/** Every permission with the roles that hold it: the README's table and the per-role tests read this. */
export function permissionTable(): { permission: Permission; roles: Role[] }[] {
  const all = [...new Set(ROLES.flatMap((r) => GRANTS[r]))];
  return all.map((permission) => ({ permission, roles: ROLES.filter((r) => GRANTS[r].includes(permission)) }));
}
