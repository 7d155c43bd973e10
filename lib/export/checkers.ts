// Test-only helper (node:*; never imported by app code): runs the real Linux checkers in throwaway namespaces.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export interface CheckRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function hasCommand(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

/**
 * True when `tools` and unshare (as root) are usable. Otherwise the test FAILS under CI (the tools must be
 * installed there) and is skipped with a message on a developer machine.
 */
export function requireTools(
  t: TestContext,
  tools: readonly string[],
  options: { fromApt: boolean } = { fromApt: true },
): boolean {
  const missing = [...tools, "unshare"].filter((x) => !hasCommand(x));
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (missing.length === 0 && isRoot) return true;
  const why = missing.length > 0 ? `missing ${missing.join(", ")}` : "unshare needs root";
  // Tools that .ci/run cannot install (terraform is not in Debian) are a bonus check where the machine has them.
  if (process.env.CI && options.fromApt) assert.fail(`checker unavailable (${why}); .ci/run installs it`);
  t.skip(`checker unavailable: ${why}`);
  return false;
}

/** A fresh temporary directory holding `files`, removed after the test. */
export function workDir(t: TestContext, files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "export-check-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Runs a shell script in a new network namespace (and mount namespace when `mount`), so the host is untouched. */
export function inNamespace(script: string, mount = false): CheckRun {
  const r = spawnSync("unshare", [mount ? "-mn" : "-n", "sh", "-c", script], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

/** Runs `script` with `etcDir` replaced by a private copy (firewalld, ufw write their configuration there). */
export function withPrivateEtc(t: TestContext, etcDir: string, script: string): CheckRun {
  const copy = mkdtempSync(join(tmpdir(), "export-etc-"));
  t.after(() => rmSync(copy, { recursive: true, force: true }));
  cpSync(etcDir, copy, { recursive: true });
  return inNamespace(`mount --bind '${copy}' '${etcDir}' && ${script}`, true);
}

export function assertSucceeded(run: CheckRun, what: string): void {
  assert.equal(run.status, 0, `${what} failed:\n${run.stderr}\n${run.stdout}`);
}
