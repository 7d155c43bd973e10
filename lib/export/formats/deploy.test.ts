// The real-packet deployment matrix (lib/testing/deploy-matrix.ts): every Linux format × deployment × scenario ×
// variant, each in its own pair of throwaway namespaces. Needs root; fails under CI when a tool is missing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { requireTools } from "../checkers";
import { cells, drivers, runCell } from "../../testing/deploy-matrix";

const LABS_AT_ONCE = Number(process.env.MATRIX_CONCURRENCY ?? 3);

for (const driver of drivers) {
  describe(`${driver.id}: real packets`, { concurrency: LABS_AT_ONCE }, () => {
    for (const cell of cells().filter((c) => c.driver === driver)) {
      test(`${cell.deployment} ${cell.scenario} [${cell.variant.name}]`, async (t) => {
        if (!requireTools(t, ["ip", ...driver.tools])) return;
        const result = await runCell(cell.driver, cell.deployment, cell.scenario, cell.variant);
        assert.deepEqual(result.problems, []);
      });
    }
  });
}
