/**
 * ipset edit commands under iptables rules, against the kernel: random shell scripts of `ipset add` (networks and
 * hosts, some with `nomatch`, which takes an address out of a wider network of the set), `ipset del`, `ipset flush`,
 * `ipset swap`, `ipset destroy` and `ipset create` (with and without `-exist`), among `iptables -A|-I` rules that
 * match the sets, run command by command in the throwaway lab of lib/testing/netns.ts. ipset refuses some of them as it
 * does on a real host ("it's already added", "it's not added", "The set with the given name does not exist",
 * "Set cannot be destroyed: it is in use by a kernel component"), each refusal leaving everything as it was. Real TCP
 * connections from each source to port 443 must get the verdict our parse of the script gives, and our parse of the
 * kernel's `ipset save` and `iptables-save` must give the same.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { Lab, labMissing } from "../../testing/netns";
import { checkEditScripts } from "../../testing/kernel";
import { gen } from "../../testing/rulegen";
import { parseIptables } from "./iptables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;
const SEED = Number(process.env.KERNEL_SEED ?? 20261205);
const CASES = Number(process.env.KERNEL_CASES ?? 40);
const SOURCES = SEED_CATALOG.slice(0, 8).map((p) => p.cidr.split("/")[0]!);

/** A source as a set element: the host, or a network around it ("44.206.73.232/30" holds two of the sources). */
function element(g: ReturnType<typeof gen>): string {
  const s = g.pick(SOURCES);
  const roll = g.int(4);
  if (roll === 0) return `${s.split(".").slice(0, 3).join(".")}.0/24`;
  if (roll === 1) return "44.206.73.232/30";
  return s;
}

/**
 * One script: two hash:net sets, a DROP policy, a rule accepting set "allow" (and sometimes one dropping set "block"
 * before it), then 8 to 19 set edits.
 */
export function ipsetEditScript(seed: number): string {
  const g = gen(seed);
  const lines = [
    "ipset create allow hash:net",
    "ipset create block hash:net",
    "iptables -P INPUT DROP",
    "iptables -A INPUT -p tcp --dport 443 -m set --match-set allow src -j ACCEPT",
  ];
  const set = () => (g.chance(0.65) ? "allow" : "block");
  const exist = () => (g.chance(0.3) ? " -exist" : "");
  const count = 8 + g.int(12);
  for (let i = 0; i < count; i++) {
    const roll = g.int(20);
    if (roll < 8) lines.push(`ipset add ${set()} ${element(g)}${g.chance(0.2) ? " nomatch" : ""}${exist()}`);
    else if (roll < 12) lines.push(`ipset del ${set()} ${element(g)}${exist()}`);
    else if (roll < 13) lines.push(`ipset flush ${set()}`);
    else if (roll < 15) lines.push(g.chance(0.5) ? "ipset swap allow block" : "ipset swap block allow");
    else if (roll < 16) lines.push(`ipset destroy block`);
    else if (roll < 17) lines.push(`ipset create block hash:net${exist()}`);
    else
      lines.push(
        `iptables ${g.chance(0.5) ? "-I INPUT" : "-A INPUT"} -p tcp --dport 443 -m set --match-set block src -j DROP`,
      );
  }
  return `${lines.join("\n")}\n`;
}

describe(
  "ipset add|del|flush|swap|destroy|create under iptables rules: our verdicts equal the kernel's",
  { skip },
  () => {
    let lab: Lab;
    before(async () => {
      assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
      lab = new Lab("x43s", SOURCES);
      lab.firstSource = SOURCES[0];
      await lab.ready();
    });
    after(() => lab?.close());

    test(`${CASES} random edit scripts from seed ${SEED}, ${SOURCES.length} sources each`, () =>
      checkEditScripts(lab, {
        cases: CASES,
        seed: SEED,
        sources: SOURCES,
        script: ipsetEditScript,
        parse: parseIptables,
        listing: "ipset save; iptables-save",
        tool: "ipset",
      }));
  },
);
