/** Personal API tokens: only the sha256 is stored; the token is shown once, when it is created. */
import { z } from "zod";
import { isRole, lowerRole, roleSchema, type Role } from "../auth/permissions";
import { hashToken, newApiToken, tokenHint } from "../auth/secret-token";
import type { ApiTokenView } from "../auth/api-token-view";
import type { Db } from "./client";

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "At most 100 characters."),
  role: roleSchema,
  /** Days until it expires; absent: never. */
  expiresInDays: z.coerce.number().int().min(1, "At least 1 day.").max(3650, "At most 3650 days.").optional(),
});
export type NewToken = z.output<typeof newTokenSchema>;

/** "90d", "12h"… as the CLI takes it → days (hours rounded up to whole days would lie: only d is accepted). */
export function parseExpiry(text: string): { ok: true; days: number } | { ok: false; error: string } {
  const m = /^(\d{1,4})d$/.exec(text.trim());
  if (!m) return { ok: false, error: `expected a number of days such as 90d, got "${text.slice(0, 20)}"` };
  const days = Number(m[1]);
  return days >= 1 && days <= 3650 ? { ok: true, days } : { ok: false, error: "between 1d and 3650d" };
}

export type { ApiTokenView } from "../auth/api-token-view";

const SELECT = {
  id: true,
  userId: true,
  name: true,
  role: true,
  tokenHint: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
} as const;

function view(t: {
  id: number;
  userId: string;
  name: string;
  role: string;
  tokenHint: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}): ApiTokenView {
  return { ...t, role: isRole(t.role) ? t.role : "viewer" };
}

export type CreateTokenResult =
  { ok: true; token: string; view: ApiTokenView } | { ok: false; reason: "role-too-high" | "user-not-found" };

/** Creates a token for a user; its role may not rank above the user's. */
export async function createApiToken(
  db: Db,
  userId: string,
  input: NewToken,
  now: Date = new Date(),
): Promise<CreateTokenResult> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true, disabledAt: true } });
  if (!user || user.disabledAt !== null) return { ok: false, reason: "user-not-found" };
  const owner: Role = isRole(user.role) ? user.role : "viewer";
  if (lowerRole(owner, input.role) !== input.role) return { ok: false, reason: "role-too-high" };
  const token = newApiToken();
  const row = await db.apiToken.create({
    data: {
      userId,
      name: input.name,
      role: input.role,
      tokenHash: hashToken(token),
      tokenHint: tokenHint(token),
      expiresAt: input.expiresInDays !== undefined ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
    },
    select: SELECT,
  });
  return { ok: true, token, view: view(row) };
}

export async function listApiTokens(db: Db, userId?: string): Promise<(ApiTokenView & { email: string })[]> {
  const rows = await db.apiToken.findMany({
    where: userId !== undefined ? { userId } : {},
    select: { ...SELECT, user: { select: { email: true } } },
    orderBy: { id: "desc" },
  });
  return rows.map(({ user, ...t }) => ({ ...view(t), email: user.email }));
}

/** Revokes a token; `userId` limits it to that user's own tokens (an admin passes none). */
export async function revokeApiToken(
  db: Db,
  id: number,
  userId?: string,
  now: Date = new Date(),
): Promise<ApiTokenView | null> {
  const found = await db.apiToken.findFirst({
    where: { id, ...(userId !== undefined ? { userId } : {}) },
    select: SELECT,
  });
  if (!found) return null;
  if (found.revokedAt !== null) return view(found);
  return view(await db.apiToken.update({ where: { id }, data: { revokedAt: now }, select: SELECT }));
}

export type TokenCheck =
  | { ok: true; token: ApiTokenView; email: string; role: Role }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "user-disabled" };

/**
 * The token behind a bearer secret, with its effective role (the lower of the token's and its owner's role now).
 * Records the use (time and address) on success.
 */
export async function redeemApiToken(
  db: Db,
  secret: string,
  ip: string | null,
  now: Date = new Date(),
): Promise<TokenCheck> {
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(secret) },
    select: { ...SELECT, user: { select: { email: true, role: true, disabledAt: true } } },
  });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null) return { ok: false, reason: "revoked" };
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  if (row.user.disabledAt !== null) return { ok: false, reason: "user-disabled" };
  const { user, ...t } = row;
  const token = view(t);
  const owner: Role = isRole(user.role) ? user.role : "viewer";
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now, lastUsedIp: ip } });
  return { ok: true, token, email: user.email, role: lowerRole(owner, token.role) };
}
