/**
 * People and tokens for tests: one user per role with an API token each, plus a revoked and an expired token, in a
 * real database. `headers(kind)` is what a caller of that kind sends.
 */
import type { Db } from "../db/client";
import { createApiToken, revokeApiToken } from "../db/api-token";
import { createUser } from "../db/user";
import type { Role } from "../auth/permissions";

export const CALLERS = ["admin", "editor", "viewer", "anonymous", "revoked", "expired"] as const;
export type Caller = (typeof CALLERS)[number];

export interface AuthFixture {
  readonly tokens: Record<Role | "revoked" | "expired", string>;
  readonly emails: Record<Role, string>;
  readonly password: string;
  headers(caller: Caller): Record<string, string>;
}

export const FIXTURE_PASSWORD = "correct horse battery staple";

export async function createAuthFixture(db: Db, prefix = "t"): Promise<AuthFixture> {
  const ids = {} as Record<Role, string>;
  const emails = {} as Record<Role, string>;
  for (const role of ["admin", "editor", "viewer"] as const) {
    const email = `${prefix}-${role}@example.com`;
    const made = await createUser(db, { email, name: role, password: FIXTURE_PASSWORD, role });
    if (!made.ok) throw new Error(`fixture user ${email}: ${made.reason}`);
    ids[role] = made.user.id;
    emails[role] = email;
  }
  const token = async (role: Role, name: string, expiresInDays?: number, now?: Date) => {
    const t = await createApiToken(db, ids[role], { name, role, ...(expiresInDays ? { expiresInDays } : {}) }, now);
    if (!t.ok) throw new Error(`fixture token ${name}: ${t.reason}`);
    return t;
  };
  const tokens = {
    admin: (await token("admin", "admin-token")).token,
    editor: (await token("editor", "editor-token")).token,
    viewer: (await token("viewer", "viewer-token")).token,
    revoked: "",
    expired: "",
  };
  const revoked = await token("admin", "revoked-token");
  await revokeApiToken(db, revoked.view.id);
  tokens.revoked = revoked.token;
  tokens.expired = (await token("admin", "expired-token", 1, new Date(Date.now() - 2 * 86_400_000))).token;
  return {
    tokens,
    emails,
    password: FIXTURE_PASSWORD,
    headers: (caller): Record<string, string> =>
      caller === "anonymous" ? {} : { authorization: `Bearer ${tokens[caller]}` },
  };
}

let defaultBearer: string | undefined;

/** Route-handler tests call handlers as this token's owner unless a request names its own Authorization. */
export function useBearerByDefault(token: string | undefined): void {
  defaultBearer = token;
}

/** `new Request`, with the default bearer token added. */
export function authedRequest(input: string | URL, init?: RequestInit): Request {
  const request = new Request(input, init);
  if (defaultBearer !== undefined && !request.headers.has("authorization"))
    request.headers.set("authorization", `Bearer ${defaultBearer}`);
  return request;
}
