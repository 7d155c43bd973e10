import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testDatabaseUrl } from "../testing/test-db";

const dir = mkdtempSync(join(tmpdir(), "allowlist-auth-"));
const url = await testDatabaseUrl(dir, "auth");
process.env.DATABASE_URL = url;
process.env.ALLOWLIST_AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
process.env.ALLOWLIST_SIGNIN_PER_MINUTE = "100";

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { createUser, updateUser } = await import("../db/user");
const { getAuth } = await import("./server");
const { identify } = await import("./actor");

const ORIGIN = "http://localhost:3000";

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return getAuth().handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, ...headers },
      body: JSON.stringify(body),
    }),
  );
}

/** The session cookie a response set, as a Cookie header. */
function cookieOf(response: Response): string {
  const set = response.headers.getSetCookie().find((c) => c.startsWith("allowlist.session_token="));
  assert.ok(set, `no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  return set.split(";")[0]!;
}

before(async () => {
  await migrateDatabase(url);
  const made = await createUser(getDb(), {
    email: "ann@example.com",
    name: "Ann",
    password: "a long enough password",
    role: "editor",
  });
  assert.equal(made.ok, true);
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("sign-in with better-auth", () => {
  test("a right password gives an httpOnly SameSite=Lax session cookie that identifies the user with their role", async () => {
    const r = await post("/sign-in/email", { email: "ann@example.com", password: "a long enough password" });
    assert.equal(r.status, 200);
    const set = r.headers.getSetCookie().find((c) => c.startsWith("allowlist.session_token="))!;
    assert.match(set, /; HttpOnly/i);
    assert.match(set, /; SameSite=Lax/i);
    assert.doesNotMatch(set, /; Secure/i); // plain http here; ALLOWLIST_PUBLIC_URL=https://… makes it Secure
    const who = await identify(new Headers({ cookie: cookieOf(r) }));
    assert.deepEqual(who, {
      ok: true,
      session: {
        role: "editor",
        actor: "user:ann@example.com",
        userId: who.ok ? who.session.userId : "",
        email: "ann@example.com",
      },
    });
  });

  test("the session token is stored only as its sha256", async () => {
    const r = await post("/sign-in/email", { email: "ann@example.com", password: "a long enough password" });
    const token = decodeURIComponent(cookieOf(r).split("=")[1]!).split(".")[0]!;
    const rows = await getDb().session.findMany({ select: { token: true } });
    assert.ok(rows.length >= 1);
    assert.equal(
      rows.some((s) => s.token === token),
      false,
    );
    const { hashSessionToken } = await import("./hashed-sessions");
    assert.equal(
      rows.some((s) => s.token === hashSessionToken(token)),
      true,
    );
  });

  test("a wrong password is 401 and logged as a failed sign-in; five in 15 minutes lock the account even with the right one", async () => {
    await createUser(getDb(), {
      email: "bob@example.com",
      name: "Bob",
      password: "bob's right password",
      role: "viewer",
    });
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await post("/sign-in/email", { email: "bob@example.com", password: "wrong password!!" })).status,
        401,
      );
    const locked = await post("/sign-in/email", { email: "bob@example.com", password: "bob's right password" });
    assert.equal(locked.status, 429);
    const failed = await getDb().auditEvent.count({
      where: { action: "signin.failed", target: "user:bob@example.com" },
    });
    assert.equal(failed, 6);
  });

  test("sign-out everywhere ends every session of the user", async () => {
    const a = cookieOf(await post("/sign-in/email", { email: "ann@example.com", password: "a long enough password" }));
    const b = cookieOf(await post("/sign-in/email", { email: "ann@example.com", password: "a long enough password" }));
    assert.equal((await post("/revoke-sessions", {}, { cookie: a })).status, 200);
    assert.deepEqual(await identify(new Headers({ cookie: b })), {
      ok: false,
      message: "Sign in, or send Authorization: Bearer <token> (create a token on /account).",
    });
  });

  test("password change needs the current password and ends the other sessions", async () => {
    const a = cookieOf(await post("/sign-in/email", { email: "ann@example.com", password: "a long enough password" }));
    const b = cookieOf(await post("/sign-in/email", { email: "ann@example.com", password: "a long enough password" }));
    assert.equal(
      (
        await post(
          "/change-password",
          { currentPassword: "not the password", newPassword: "a brand new password" },
          { cookie: a },
        )
      ).status,
      400,
    );
    const ok = await post(
      "/change-password",
      { currentPassword: "a long enough password", newPassword: "a brand new password", revokeOtherSessions: true },
      { cookie: a },
    );
    assert.equal(ok.status, 200);
    assert.equal((await identify(new Headers({ cookie: b }))).ok, false);
    assert.equal(
      (await post("/sign-in/email", { email: "ann@example.com", password: "a brand new password" })).status,
      200,
    );
  });

  test("a disabled user cannot sign in, and sign-up is closed", async () => {
    const made = await createUser(getDb(), {
      email: "cy@example.com",
      name: "Cy",
      password: "cy's right password",
      role: "viewer",
    });
    assert.ok(made.ok);
    await updateUser(getDb(), made.user.id, { disabled: true });
    assert.notEqual(
      (await post("/sign-in/email", { email: "cy@example.com", password: "cy's right password" })).status,
      200,
    );
    assert.equal(
      (await post("/sign-up/email", { email: "eve@example.com", password: "eve's own password", name: "Eve" })).status,
      400,
    );
  });
});
