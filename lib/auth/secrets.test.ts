/**
 * No secret is stored in plain text: after signing in (a session), creating API tokens and a feed, every text cell
 * of every table of the SQLite file is read, and none holds a password, a token, a session token or signature, or
 * the server's secret. The stored forms are checked too: scrypt for passwords, sha256 for tokens.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

const dir = mkdtempSync(join(tmpdir(), "allowlist-secrets-"));
const file = join(dir, "secrets.db");
process.env.DATABASE_URL = `file:${file}`;
const SECRET = "server-secret-for-the-secrets-test-0123456789";
process.env.ALLOWLIST_AUTH_SECRET = SECRET;
process.env.ALLOWLIST_SIGNIN_PER_MINUTE = "100";

const { migrateDatabase } = await import("../db/migrate");
const { getDb } = await import("../db/client");
const { createUser, updateUser } = await import("../db/user");
const { createApiToken, revokeApiToken, redeemApiToken } = await import("../db/api-token");
const { createFeedFrom } = await import("../api/feeds");
const { getAuth } = await import("./server");
const { hashToken } = await import("./secret-token");

const PASSWORD = "the plain password 42!";
let userId = "";

before(async () => {
  await migrateDatabase(process.env.DATABASE_URL!);
  await (await import("../db/ready")).ensureAppDatabase(); // the seeded catalog, for the feed
  const made = await createUser(getDb(), { email: "sec@example.com", name: "Sec", password: PASSWORD, role: "admin" });
  assert.ok(made.ok);
  userId = made.user.id;
});
after(async () => {
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** Every text or blob cell of every table, as strings. */
function allCells(): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const out: string[] = [];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as Record<string, unknown>[]) {
        for (const v of Object.values(row))
          if (typeof v === "string") out.push(v);
          else if (Buffer.isBuffer(v)) out.push(v.toString("utf8"));
      }
    }
    return out;
  } finally {
    db.close();
  }
}

describe("secrets at rest", () => {
  test("no password, token, session token or server secret is in any cell of the database", async () => {
    const signIn = await getAuth().handler(
      new Request("http://localhost/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: JSON.stringify({ email: "sec@example.com", password: PASSWORD }),
      }),
    );
    assert.equal(signIn.status, 200);
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith("allowlist.session_token="))!;
    const [sessionToken, signature] = decodeURIComponent(cookie.split(";")[0]!.split("=").slice(1).join("=")).split(
      ".",
    );
    assert.ok(sessionToken && sessionToken.length >= 32 && signature);
    const api = await createApiToken(getDb(), userId, { name: "ci", role: "editor" });
    assert.ok(api.ok);
    const feed = await createFeedFrom(getDb(), { name: "edl", kind: "selection", regions: ["US"] });
    assert.ok(feed.ok, JSON.stringify(feed));

    const cells = allCells();
    assert.ok(cells.length > 100, "the tables were read");
    const secrets = {
      password: PASSWORD,
      apiToken: api.token,
      feedToken: feed.token,
      sessionToken,
      sessionSignature: signature,
      serverSecret: SECRET,
    };
    const found = Object.entries(secrets)
      .filter(([, s]) => cells.some((c) => c.includes(s)))
      .map(([k]) => k);
    assert.deepEqual(found, []);

    // What is stored instead: a salted scrypt hash, and sha256 digests.
    const account = await getDb().account.findFirstOrThrow({ where: { userId, providerId: "credential" } });
    assert.match(account.password ?? "", /^[0-9a-f]{32}:[0-9a-f]{128}$/);
    assert.equal(
      (await getDb().apiToken.findFirstOrThrow({ where: { id: api.view.id } })).tokenHash,
      hashToken(api.token),
    );
    assert.equal(await getDb().session.count({ where: { token: hashToken(sessionToken) } }), 1);
  });

  test("a token records its last use; revoked, expired or a disabled owner refuse it; its role is capped by the owner's today", async () => {
    const made = await createUser(getDb(), {
      email: "tok@example.com",
      name: "Tok",
      password: PASSWORD,
      role: "editor",
    });
    assert.ok(made.ok);
    assert.deepEqual(await createApiToken(getDb(), made.user.id, { name: "too high", role: "admin" }), {
      ok: false,
      reason: "role-too-high",
    });
    const t = await createApiToken(getDb(), made.user.id, { name: "deploy", role: "editor", expiresInDays: 1 });
    assert.ok(t.ok);
    const now = new Date("2030-01-01T00:00:00Z");
    const used = await redeemApiToken(getDb(), t.token, "192.0.2.1", new Date(t.view.createdAt.getTime() + 1000));
    assert.ok(used.ok);
    assert.equal(used.role, "editor");
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: t.view.id } });
    assert.deepEqual([row.lastUsedAt?.getTime(), row.lastUsedIp], [t.view.createdAt.getTime() + 1000, "192.0.2.1"]);
    assert.deepEqual(await redeemApiToken(getDb(), t.token, null, now), { ok: false, reason: "expired" });
    await updateUser(getDb(), made.user.id, { role: "viewer" });
    const capped = await redeemApiToken(getDb(), t.token, null, new Date(t.view.createdAt.getTime() + 2000));
    assert.equal(capped.ok && capped.role, "viewer");
    await updateUser(getDb(), made.user.id, { disabled: true });
    assert.deepEqual(await redeemApiToken(getDb(), t.token, null, new Date(t.view.createdAt.getTime() + 3000)), {
      ok: false,
      reason: "user-disabled",
    });
    await revokeApiToken(getDb(), t.view.id);
    assert.deepEqual(await redeemApiToken(getDb(), t.token, null), { ok: false, reason: "revoked" });
    assert.deepEqual(await redeemApiToken(getDb(), "alt_not-a-token", null), { ok: false, reason: "unknown" });
  });
});
