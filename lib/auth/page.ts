/**
 * Pages and server actions: the signed-in person, checked on every render and every action (a layout alone is not
 * re-run on client navigation, and the proxy only looks for a cookie).
 */
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { identify } from "./actor";
import { authorize, type Permission, type Session } from "./permissions";
import { clientIp } from "./client-ip";

/** The signed-in person, or null. Bearer tokens are for the API: a page reads only the cookie. */
export async function currentSession(): Promise<Session | null> {
  const h = new Headers(await headers());
  h.delete("authorization");
  const who = await identify(h);
  return who.ok ? who.session : null;
}

/** A page's first line: signed in (else to /sign-in, back here after) and allowed (else 403). */
export async function requirePage(permission: Permission, path: string): Promise<Session> {
  const session = await currentSession();
  if (session === null) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  if (!authorize(session, permission).ok) forbidden();
  return session;
}

export type ActionAuth =
  | { readonly ok: true; readonly session: Session; readonly ip: string | null }
  | { readonly ok: false; readonly message: string };

/** A server action's first line: who, and may they. The message is shown in the form. */
export async function actionSession(permission: Permission): Promise<ActionAuth> {
  const session = await currentSession();
  if (session === null) return { ok: false, message: "Your session has ended: sign in again." };
  const allowed = authorize(session, permission);
  if (!allowed.ok) return { ok: false, message: allowed.message };
  return { ok: true, session, ip: clientIp(new Headers(await headers())) };
}
