/**
 * Differential tests against the Linux kernel: random iptables and nftables rulesets are loaded into a throwaway
 * network namespace (lib/testing/netns.ts), every published address of the seed catalog and its neighbours n±1
 * connects to port 443, and our verdict (trace and diff, per source) must equal what the kernel accepted.
 * KERNEL_SEED and KERNEL_CASES reproduce or enlarge a run (`KERNEL_SEED=7 KERNEL_CASES=1000 npm run test:unit -- kernel`).
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { Lab, labMissing } from "../../testing/netns";
import { checkCase } from "../../testing/kernel";
import { gen, genIptables, genNft, withNeighbours } from "../../testing/rulegen";
import { parseNftables } from "./nftables";
import { parseIptables } from "./iptables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;
const SEED = Number(process.env.KERNEL_SEED ?? 20261130);
const CASES = Number(process.env.KERNEL_CASES ?? 120); // per format: 240 rulesets in all
const SOURCES = withNeighbours(SEED_CATALOG.map((p) => p.cidr.split("/")[0]!));

describe("iptables verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x11a", SOURCES);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  test(`${CASES} random rulesets, seed ${SEED}`, async () => {
    const ifs = { ingress: lab.names.inIf, egress: lab.names.outIf };
    let checked = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = SEED + i;
      const g = gen(seed);
      const forward = g.chance(0.4);
      const c = genIptables(g, SOURCES, ifs, forward);
      const loaded = lab.load({ "sets.ipset": c.ipset, "rules.v4": c.rules }, `${c.ipset ? "ipset restore < sets.ipset; " : ""}iptables-restore < rules.v4`);
      assert.ok(loaded.ok, `seed ${seed}: the kernel refused the ruleset:\n${loaded.out}\n${c.rules}`);
      const options = { path: forward ? "forward" : "input", ingress: lab.names.inIf } as const;
      const parsed = parseIptables(c.ipset + c.rules, options);
      const listing = lab.read("ipset save; iptables-save");
      const r = await checkCase(lab, parsed, SOURCES, forward, parseIptables(listing, options));
      const repro = `KERNEL_SEED=${seed} KERNEL_CASES=1`;
      assert.deepEqual(r.listingDisagrees, [], `seed ${seed} (${repro}): the kernel's iptables-save reads otherwise\n${listing}`);
      assert.deepEqual(r.diffDisagrees, [], `seed ${seed} (${repro}): diff and trace disagree\n${c.ipset}${c.rules}`);
      assert.deepEqual(r.expected, r.actual, `seed ${seed} (${repro}, ${forward ? "forward" : "input"}): our verdicts differ from the kernel's\n${c.ipset}${c.rules}`);
      checked++;
    }
    assert.equal(checked, CASES);
  });
});

describe("nftables verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x11n", SOURCES);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  test(`${CASES} random rulesets, seed ${SEED}`, async () => {
    const ifs = { ingress: lab.names.inIf, egress: lab.names.outIf };
    let checked = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = SEED + i;
      const g = gen(seed ^ 0x5a5a);
      const forward = g.chance(0.4);
      const c = genNft(g, SOURCES, ifs, forward);
      const loaded = lab.load({ "rules.nft": c.rules }, "nft -f rules.nft");
      assert.ok(loaded.ok, `seed ${seed}: the kernel refused the ruleset:\n${loaded.out}\n${c.rules}`);
      const options = { path: forward ? "forward" : "input", ingress: lab.names.inIf } as const;
      const parsed = parseNftables(c.rules, options);
      const listing = lab.read("nft list ruleset");
      const r = await checkCase(lab, parsed, SOURCES, forward, parseNftables(listing, options));
      const repro = `KERNEL_SEED=${seed} KERNEL_CASES=1`;
      assert.deepEqual(r.listingDisagrees, [], `seed ${seed} (${repro}): the kernel's nft list ruleset reads otherwise\n${listing}`);
      assert.deepEqual(r.diffDisagrees, [], `seed ${seed} (${repro}): diff and trace disagree\n${c.rules}`);
      assert.deepEqual(r.expected, r.actual, `seed ${seed} (${repro}, ${forward ? "forward" : "input"}): our verdicts differ from the kernel's\n${c.rules}`);
      checked++;
    }
    assert.equal(checked, CASES);
  });
});
