/**
 * nft edit commands against the kernel: random shell scripts of `nft add rule`, `nft insert rule`, `… index N`
 * (N drawn up to two past the last rule, so some fail as nft makes them fail: "Could not process rule: No such file or
 * directory"), `nft add|delete element` on a set a rule matches (deleting an element that is not there fails too),
 * `nft flush set` and `nft flush chain`, run command by command in the throwaway lab of lib/testing/netns.ts, each
 * failure leaving the ruleset as it was. Real TCP connections from each source to port 443 must get the verdict our
 * parse of the script gives, and our parse of the kernel's `nft list ruleset` must give the same.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { Lab, labMissing } from "../../testing/netns";
import { checkEditScripts } from "../../testing/kernel";
import { gen } from "../../testing/rulegen";
import { parseNftables } from "./nftables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;
const SEED = Number(process.env.KERNEL_SEED ?? 20261204);
const CASES = Number(process.env.KERNEL_CASES ?? 40);
const SOURCES = SEED_CATALOG.slice(0, 8).map((p) => p.cidr.split("/")[0]!);

const CHAIN = "inet f input";

/**
 * One script: a table with a drop-policy input chain and an address set, then 8 to 19 edits. The model is only a
 * guide for drawing indexes and elements that exist (nft decides what happens, the test compares with the kernel).
 */
export function nftEditScript(seed: number): string {
  const g = gen(seed);
  let rules = 0;
  const elements = new Set<string>();
  const lines = [
    "nft add table inet f",
    `nft add chain ${CHAIN} '{ type filter hook input priority 0; policy drop; }'`,
    "nft add set inet f allow '{ type ipv4_addr; }'",
  ];
  const rule = () => {
    const verdict = g.chance(0.6) ? "accept" : "drop";
    return g.chance(0.25)
      ? `ip saddr @allow tcp dport 443 ${verdict}`
      : `ip saddr ${g.pick(SOURCES)} tcp dport 443 ${verdict}`;
  };
  const count = 8 + g.int(12);
  for (let i = 0; i < count; i++) {
    const roll = g.int(20);
    const index = g.int(rules + 2);
    if (roll < 5 || rules === 0) {
      lines.push(`nft add rule ${CHAIN} ${rule()}`);
      rules++;
    } else if (roll < 8) {
      lines.push(`nft insert rule ${CHAIN} ${rule()}`);
      rules++;
    } else if (roll < 12) {
      lines.push(`nft ${g.chance(0.5) ? "add" : "insert"} rule ${CHAIN} index ${index} ${rule()}`);
      if (index < rules) rules++;
    } else if (roll < 16) {
      const s = g.pick(SOURCES);
      lines.push(`nft add element inet f allow '{ ${s} }'`);
      elements.add(s);
    } else if (roll < 18) {
      // An element of the set, or one that may not be in it.
      const s = g.chance(0.7) && elements.size > 0 ? g.pick([...elements]) : g.pick(SOURCES);
      lines.push(`nft delete element inet f allow '{ ${s} }'`);
      elements.delete(s);
    } else if (roll < 19) {
      lines.push("nft flush set inet f allow");
      elements.clear();
    } else {
      lines.push(`nft flush chain ${CHAIN}`);
      rules = 0;
    }
  }
  return `${lines.join("\n")}\n`;
}

describe("nft add|insert rule [index N], add|delete element, flush: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x42n", SOURCES);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  test(`${CASES} random edit scripts from seed ${SEED}, ${SOURCES.length} sources each`, () =>
    checkEditScripts(lab, {
      cases: CASES,
      seed: SEED,
      sources: SOURCES,
      script: nftEditScript,
      parse: parseNftables,
      listing: "nft list ruleset",
      tool: "nft",
    }));
});
