import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./check-env.ts", import.meta.url));

function run(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env } });
  return { status: r.status, stderr: r.stderr };
}

test("the start-up check refuses a malformed token list with the entry named, and passes a good one", () => {
  assert.deepEqual(run({ ALLOWLIST_API_TOKENS: "good-token:viewer,oops" }), {
    status: 1,
    stderr: 'allowlist: refusing to start: ALLOWLIST_API_TOKENS entry 2 ("oops…"): expected <token>:<role>, with a role of editor or viewer.\n',
  });
  assert.deepEqual(run({ ALLOWLIST_API_TOKENS: "good-token:viewer" }), { status: 0, stderr: "" });
  assert.deepEqual(run({}), { status: 0, stderr: "" });
});
