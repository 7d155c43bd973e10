// Test-only helper (uses node:fs; never imported by app code): exact golden files.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Compares `actual` byte for byte with lib/export/golden/<format>/<caseName>.<ext>. With UPDATE_GOLDEN=1 it writes
 * the file instead; review the diff of every regenerated golden against the vendor documentation.
 */
export function assertGolden(format: string, caseName: string, ext: string, actual: string): void {
  const path = fileURLToPath(new URL(`./golden/${format}/${caseName}.${ext}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === "1") {
    // Goldens are the spec: CI compares, it never rewrites them into agreement with the code under test.
    assert.notEqual(
      process.env.CI,
      "true",
      "UPDATE_GOLDEN=1 is refused under CI=true: goldens are reviewed, never rewritten by CI",
    );
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, "utf8");
  } catch {
    assert.fail(`missing golden ${path}: run with UPDATE_GOLDEN=1 and review it`);
  }
  assert.equal(actual, expected, `output differs from golden ${path}`);
}
