// `npm start`'s build step: `next build` only when the sources changed since the last build (lib/server/build-stamp.mjs).
// ALLOWLIST_FORCE_BUILD=1 builds anyway.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfChanged, STAMP_FILE } from "./build-stamp.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
if (process.env.ALLOWLIST_FORCE_BUILD === "1") rmSync(join(root, ".next", STAMP_FILE), { force: true });
const result = await buildIfChanged(root, async () => {
  const run = spawnSync("npx", ["next", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
});
console.log(
  result.built ? `Built (${result.reason}).` : "No build needed: the sources are unchanged since the last build.",
);
