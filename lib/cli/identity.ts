/**
 * Who the command line acts as. On the server it is the machine's owner (a shell there can read the database
 * anyway): `cli:<unix user>`, allowed everything. With ALLOWLIST_TOKEN set it acts as that token's person instead,
 * with the token's role: a revoked or expired token, or too low a role, stops the command.
 */
import { authorize, type Permission, type Session } from "../auth/permissions";
import type { Db } from "../db/client";
import { cliActor, UsageError } from "./common";

const REFUSED = {
  unknown: "is not a valid token",
  revoked: "was revoked",
  expired: "has expired",
  "user-disabled": "belongs to a disabled account",
} as const;

export async function cliSession(db: Db, permission: Permission): Promise<Session> {
  const token = process.env.ALLOWLIST_TOKEN?.trim();
  if (!token) return { role: "admin", ...cliActor(), email: null };
  const { redeemApiToken } = await import("../db/api-token");
  const used = await redeemApiToken(db, token, "cli");
  if (!used.ok) throw new UsageError(`ALLOWLIST_TOKEN ${REFUSED[used.reason]}.`);
  const session: Session = {
    role: used.role,
    actor: `token:${used.token.name} (${used.email})`,
    userId: used.token.userId,
    email: used.email,
    tokenId: used.token.id,
  };
  const allowed = authorize(session, permission);
  if (!allowed.ok) throw new UsageError(allowed.message);
  return session;
}
