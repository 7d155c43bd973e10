/**
 * Differential tests against the Linux kernel: random iptables and nftables rulesets are loaded into a throwaway
 * network namespace (lib/testing/netns.ts), every published address of the seed catalog and its neighbours n±1
 * connects to port 443 (the host itself, or a host behind it for the forward path), and our verdict (trace and diff,
 * per source, read from the generated text and from the kernel's own iptables-save / nft list ruleset) must equal
 * what the kernel accepted. KERNEL_SEED and KERNEL_CASES reproduce or enlarge a run
 * (`KERNEL_SEED=7 KERNEL_CASES=1000 npm run test:unit -- kernel`; `npx tsx lib/bench/kernel-diff.ts` for a larger run).
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { Lab, labMissing } from "../../testing/netns";
import { type Format, SOURCES6, runCase } from "../../testing/kernel";
import { withNeighbours } from "../../testing/rulegen";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;
const SEED = Number(process.env.KERNEL_SEED ?? 20261130);
const CASES = Number(process.env.KERNEL_CASES ?? 120); // per format: 240 rulesets in all
const SOURCES = withNeighbours(SEED_CATALOG.map((p) => p.cidr.split("/")[0]!));

for (const format of ["iptables", "nftables"] as const satisfies readonly Format[]) {
  describe(`${format} verdicts equal the kernel's`, { skip }, () => {
    let lab: Lab;
    before(async () => {
      assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
      lab = new Lab(format === "iptables" ? "x11a" : "x11n", [...SOURCES, ...SOURCES6]);
      lab.firstSource = SOURCES[0];
      await lab.ready();
    });
    after(() => lab?.close());

    test(`${CASES} random rulesets from seed ${SEED}, ${SOURCES.length + SOURCES6.length} sources each`, async () => {
      let checked = 0;
      let mixed = 0;
      for (let i = 0; i < CASES; i++) {
        const r = await runCase(lab, format, SEED + i, SOURCES, SOURCES6);
        assert.equal(r.failure, undefined, r.failure);
        if (r.open > 0 && r.open < r.total) mixed++;
        checked++;
      }
      assert.equal(checked, CASES);
      // The generator must not degenerate into all-open or all-blocked rulesets.
      if (CASES >= 50)
        assert.ok(mixed >= CASES / 5, `only ${mixed} of ${CASES} rulesets let some sources through and not others`);
    });
  });
}
