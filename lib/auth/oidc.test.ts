/**
 * Single sign-on against a real OpenID Provider (the certified `oidc-provider` package, started here on
 * 127.0.0.1:3315 with its development login screens): the full authorization-code flow with PKCE, through our
 * better-auth endpoints, ending in a session of a new viewer; the provider's tokens are not kept.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error oidc-provider ships no types
import Provider from "oidc-provider";
import { testDatabaseUrl } from "../testing/test-db";

const ISSUER = "http://127.0.0.1:3315";
const APP = "http://localhost:3000";
const CLIENT_SECRET = "client-secret-for-the-oidc-test-0123456789";

const dir = mkdtempSync(join(tmpdir(), "allowlist-oidc-"));
process.env.DATABASE_URL = await testDatabaseUrl(dir, "oidc");
process.env.ALLOWLIST_AUTH_SECRET = "oidc-test-secret-oidc-test-secret-0123";
process.env.ALLOWLIST_OIDC_ISSUER = ISSUER;
process.env.ALLOWLIST_OIDC_CLIENT_ID = "allowlist";
process.env.ALLOWLIST_OIDC_CLIENT_SECRET = CLIENT_SECRET;
process.env.ALLOWLIST_OIDC_NAME = "Test IdP";

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { getAuth } = await import("./server");
const { identify } = await import("./actor");

let server: Server;

before(async () => {
  await migrateDatabase(process.env.DATABASE_URL!);
  const provider = new Provider(ISSUER, {
    clients: [
      {
        client_id: "allowlist",
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${APP}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      return {
        accountId: sub,
        claims: async () => ({ sub, email: `${sub}@idp.test`, email_verified: true, name: "Sso Person" }),
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: true } },
  });
  server = provider.listen(3315, "127.0.0.1") as Server;
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** A cookie jar per site, enough for this flow (no paths or expiry to honour). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response) {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

const ours = new Jar();
const theirs = new Jar();

/** One request to the provider (real HTTP) or to our handler (in-process), cookies kept per side. */
async function hop(url: string, init: RequestInit = {}): Promise<Response> {
  if (url.startsWith(APP)) {
    const r = await getAuth().handler(
      new Request(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie: ours.header(), origin: APP },
      }),
    );
    ours.take(r);
    return r;
  }
  const r = await fetch(url, {
    ...init,
    redirect: "manual",
    headers: { ...(init.headers as Record<string, string>), cookie: theirs.header() },
  });
  theirs.take(r);
  return r;
}

/** Follows redirects from `url` until one leaves the provider for our callback (returned, not followed). */
async function toCallback(url: string): Promise<string> {
  let next = url;
  for (let i = 0; i < 20; i++) {
    if (next.startsWith(APP)) return next;
    const r = await hop(next);
    if (r.status >= 300 && r.status < 400) {
      next = new URL(r.headers.get("location")!, next).toString();
      continue;
    }
    // An interaction page of the provider's development screens: log in as "sso-person", then consent.
    const uid = /\/interaction\/([^/]+)$/.exec(new URL(next).pathname)?.[1];
    assert.ok(uid, `unexpected page ${r.status} at ${next}`);
    const html = await r.text();
    const body = /name="login"/.test(html)
      ? new URLSearchParams({ prompt: "login", login: "sso-person", password: "any" })
      : new URLSearchParams({ prompt: "consent" });
    const submitted = await hop(`${ISSUER}/interaction/${uid}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.ok(
      submitted.status >= 300 && submitted.status < 400,
      `interaction ${body.get("prompt")} answered ${submitted.status}`,
    );
    next = new URL(submitted.headers.get("location")!, next).toString();
  }
  throw new Error("too many redirects");
}

describe("OpenID Connect single sign-on", () => {
  test("the code flow signs in a new person as a viewer; none of the provider's tokens is stored", async () => {
    const start = await hop(`${APP}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "oidc", callbackURL: "/firewalls" }),
    });
    assert.equal(start.status, 200);
    const { url } = (await start.json()) as { url: string };
    const authorize = new URL(url);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${ISSUER}/auth`);
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");

    const callback = await toCallback(url);
    assert.match(callback, /^http:\/\/localhost:3000\/api\/auth\/callback\/oidc\?code=/);
    const done = await hop(callback);
    assert.equal(done.status, 302);
    assert.equal(done.headers.get("location"), "/firewalls");

    const who = await identify(new Headers({ cookie: ours.header() }));
    assert.ok(who.ok);
    assert.deepEqual(
      [who.session.email, who.session.role, who.session.actor],
      ["sso-person@idp.test", "viewer", "user:sso-person@idp.test"],
    );

    const account = await getDb().account.findFirstOrThrow({ where: { providerId: "oidc" } });
    assert.equal(account.accountId, "sso-person");
    // Only the identity is kept: none of the provider's tokens.
    assert.deepEqual(
      [account.accessToken, account.refreshToken, account.idToken, account.password],
      [null, null, null, null],
    );
    const signIn = await getDb().auditEvent.findFirstOrThrow({ where: { action: "signin.success" } });
    assert.deepEqual([signIn.actor, JSON.parse(signIn.details)], ["user:sso-person@idp.test", { method: "oidc" }]);
  });
});
