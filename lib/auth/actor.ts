/**
 * Who is calling, from a request's headers: a personal API token (`Authorization: Bearer …`) or a signed-in
 * browser session (the cookie). Shared by route handlers, pages and server actions.
 */
import { getDb } from "../db/client";
import { redeemApiToken } from "../db/api-token";
import { ensureAppDatabase } from "../db/ready";
import { isRole, type Session } from "./permissions";
import { clientIp } from "./client-ip";
import { getAuth } from "./server";

export type Identified =
  { readonly ok: true; readonly session: Session } | { readonly ok: false; readonly message: string };

const TOKEN_REFUSED = {
  unknown: "This API token is not valid.",
  revoked: "This API token was revoked.",
  expired: "This API token has expired.",
  "user-disabled": "The account of this API token is disabled.",
} as const;

export const SIGN_IN_NEEDED = "Sign in, or send Authorization: Bearer <token> (create a token on /account).";

/** The caller behind a token or a cookie; `cookies: false` ignores the cookie (API clients that send only tokens). */
export async function identify(headers: Headers): Promise<Identified> {
  await ensureAppDatabase();
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { ok: false, message: "Send the token as Authorization: Bearer <token>." };
    const check = await redeemApiToken(getDb(), match[1], clientIp(headers));
    if (!check.ok) return { ok: false, message: TOKEN_REFUSED[check.reason] };
    return {
      ok: true,
      session: {
        role: check.role,
        actor: `token:${check.token.name} (${check.email})`,
        userId: check.token.userId,
        email: check.email,
        tokenId: check.token.id,
      },
    };
  }
  if (!/(?:^|;\s*)(?:__Secure-)?allowlist\.session_token=/.test(headers.get("cookie") ?? ""))
    return { ok: false, message: SIGN_IN_NEEDED };
  const found = await getAuth().api.getSession({ headers, query: { disableRefresh: true } });
  if (!found) return { ok: false, message: SIGN_IN_NEEDED };
  const user = found.user as typeof found.user & { role?: unknown; disabledAt?: unknown };
  if (user.disabledAt !== null && user.disabledAt !== undefined)
    return { ok: false, message: "This account is disabled." };
  const role = typeof user.role === "string" && isRole(user.role) ? user.role : "viewer";
  return { ok: true, session: { role, actor: `user:${user.email}`, userId: user.id, email: user.email } };
}
