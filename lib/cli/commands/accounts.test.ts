import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "../../testing/test-db";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "allowlist-cli-accounts-"));
const url = await testDatabaseUrl(dir, "cli");

function run(args: string[], input = "", env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_URL: url, NO_COLOR: "1", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe("allowlist user create / token create", () => {
  const ME = `cli:${userInfo().username}`;
  let viewerToken = "";

  test("a user from a password on standard input; never a short or missing one; no duplicate", () => {
    assert.deepEqual(run(["user", "create", "--admin", "Root@Example.com"], "a long enough password\n"), {
      code: 0,
      stdout: "Created root@example.com (admin).\n",
      stderr: "",
    });
    assert.deepEqual(run(["user", "create", "viewer@example.com"], "short\n"), {
      code: 2,
      stdout: "",
      stderr: "allowlist: password: At least 12 characters.\n",
    });
    assert.deepEqual(run(["user", "create", "viewer@example.com"], ""), {
      code: 2,
      stdout: "",
      stderr: "allowlist: password: At least 12 characters.\n",
    });
    assert.deepEqual(
      run(["user", "create", "--role", "viewer", "viewer@example.com"], "another long password\n").code,
      0,
    );
    assert.deepEqual(run(["user", "create", "root@example.com"], "a long enough password\n"), {
      code: 2,
      stdout: "",
      stderr: "allowlist: A user with the e-mail root@example.com exists.\n",
    });
  });

  test("a token is printed once on stdout, at most the user's role, with an expiry in days", () => {
    const made = run([
      "token",
      "create",
      "--user",
      "viewer@example.com",
      "--role",
      "viewer",
      "--expires",
      "90d",
      "--name",
      "ci",
    ]);
    assert.equal(made.code, 0);
    assert.match(made.stdout, /^alt_[A-Za-z0-9_-]{43}\n$/);
    assert.match(
      made.stderr,
      /^allowlist: token "ci" \(viewer\) for viewer@example\.com, expires \d{4}-\d\d-\d\d\. It is not shown again\.\n$/,
    );
    viewerToken = made.stdout.trim();
    assert.deepEqual(run(["token", "create", "--user", "viewer@example.com", "--role", "editor"]), {
      code: 2,
      stdout: "",
      stderr: "allowlist: viewer@example.com is viewer: a token cannot be editor.\n",
    });
    assert.deepEqual(run(["token", "create", "--user", "viewer@example.com", "--role", "viewer", "--expires", "3w"]), {
      code: 2,
      stdout: "",
      stderr: 'allowlist: --expires: expected a number of days such as 90d, got "3w".\n',
    });
  });

  test("with ALLOWLIST_TOKEN the CLI acts as the token's person, with its role; the audit log names who", async () => {
    assert.deepEqual(
      run(["user", "create", "x@example.com"], "a long enough password\n", { ALLOWLIST_TOKEN: viewerToken }),
      {
        code: 2,
        stdout: "",
        stderr: "allowlist: Your role (viewer) does not allow user:admin.\n",
      },
    );
    assert.deepEqual(
      run(["user", "create", "x@example.com"], "a long enough password\n", { ALLOWLIST_TOKEN: "alt_wrong" }),
      { code: 2, stdout: "", stderr: "allowlist: ALLOWLIST_TOKEN is not a valid token.\n" },
    );
    const exported = run(["export", "--format", "plain", "--regions", "au"], "", { ALLOWLIST_TOKEN: viewerToken });
    assert.equal(exported.code, 0);
    const { createDb } = await import("../../db/client");
    const db = createDb(url);
    try {
      const events = await db.auditEvent.findMany({
        orderBy: { id: "asc" },
        select: { action: true, actor: true, ip: true, target: true },
      });
      assert.deepEqual(
        events.map((e) => [e.action, e.actor, e.ip, e.target.replace(/\d+$/, "N")]),
        [
          ["user.create", ME, "cli", "user:root@example.com"],
          ["user.create", ME, "cli", "user:viewer@example.com"],
          ["token.create", ME, "cli", "token:N"],
          ["export", "token:ci (viewer@example.com)", "cli", "export:N"],
        ],
      );
    } finally {
      await db.$disconnect();
    }
  });
});
