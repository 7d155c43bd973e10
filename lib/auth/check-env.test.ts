import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./check-env.ts", import.meta.url));

function run(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
  });
  return { status: r.status, stderr: r.stderr };
}

const MIGRATE = '(README, "Migrating from environment tokens"). Unset it.';

test("the start-up check refuses the removed env-var access settings, naming what replaces them", () => {
  assert.deepEqual(run({ ALLOWLIST_API_TOKENS: "good-token:viewer" }), {
    status: 1,
    stderr: `allowlist: refusing to start: ALLOWLIST_API_TOKENS is no longer read: access is by accounts, roles and personal API tokens now ${MIGRATE}\n`,
  });
  assert.deepEqual(run({ ALLOWLIST_READONLY: "1" }), {
    status: 1,
    stderr: `allowlist: refusing to start: ALLOWLIST_READONLY is no longer read: access is by accounts, roles and personal API tokens now ${MIGRATE}\n`,
  });
  assert.deepEqual(run({}), { status: 0, stderr: "" });
});

test("the start-up check refuses a short secret and half an OIDC setup", () => {
  assert.deepEqual(run({ ALLOWLIST_AUTH_SECRET: "short" }), {
    status: 1,
    stderr: "allowlist: refusing to start: ALLOWLIST_AUTH_SECRET must be at least 32 characters.\n",
  });
  assert.deepEqual(run({ ALLOWLIST_OIDC_ISSUER: "https://idp.example.com" }), {
    status: 1,
    stderr:
      "allowlist: refusing to start: Single sign-on needs ALLOWLIST_OIDC_ISSUER, ALLOWLIST_OIDC_CLIENT_ID and ALLOWLIST_OIDC_CLIENT_SECRET together.\n",
  });
});
