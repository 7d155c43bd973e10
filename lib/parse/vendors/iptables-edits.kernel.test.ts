/**
 * iptables edit commands against the kernel: random scripts of `iptables -A`, `-I CHAIN [n]`, `-R CHAIN n`,
 * `-D CHAIN n` and `-D CHAIN rule…` (positions drawn up to two past the end, so some commands fail as iptables makes
 * them fail: "Index of insertion too big", "Index of replacement too big", "Bad rule (does a matching rule exist in
 * that chain?)"; iptables(8)) are run command by command in the throwaway lab of lib/testing/netns.ts, each failure
 * leaving the rules as they were. Real TCP connections from each source to port 443 must get the verdict our parse of
 * the script gives, and our parse of the kernel's iptables-save must give the same.
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
const SEED = Number(process.env.KERNEL_SEED ?? 20261203);
const CASES = Number(process.env.KERNEL_CASES ?? 40);
const SOURCES = SEED_CATALOG.slice(0, 8).map((p) => p.cidr.split("/")[0]!);

/** One script: a DROP policy, then 8 to 19 edits of INPUT, with the rule list as the script means it to be. */
export function editScript(seed: number): string {
  const g = gen(seed);
  const model: string[] = [];
  const lines = ["iptables -P INPUT DROP"];
  const rule = () => `-s ${g.pick(SOURCES)} -p tcp --dport 443 -j ${g.chance(0.6) ? "ACCEPT" : "DROP"}`;
  const count = 8 + g.int(12);
  for (let i = 0; i < count; i++) {
    const at = 1 + g.int(model.length + 2);
    const roll = g.int(10);
    if (roll < 3 || model.length === 0) {
      const r = rule();
      model.push(r);
      lines.push(`iptables -A INPUT ${r}`);
    } else if (roll < 5) {
      const r = rule();
      const bare = g.chance(0.3);
      if (bare || at <= model.length + 1) model.splice(bare ? 0 : at - 1, 0, r);
      lines.push(`iptables -I INPUT ${bare ? "" : `${at} `}${r}`);
    } else if (roll < 7) {
      const r = rule();
      if (at <= model.length) model[at - 1] = r;
      lines.push(`iptables -R INPUT ${at} ${r}`);
    } else if (roll < 8) {
      if (at <= model.length) model.splice(at - 1, 1);
      lines.push(`iptables -D INPUT ${at}`);
    } else {
      // A rule as written: one of the list's (the first equal one goes), or one that may not be in it.
      const r = g.chance(0.7) ? g.pick(model) : rule();
      const k = model.indexOf(r);
      if (k >= 0) model.splice(k, 1);
      lines.push(`iptables -D INPUT ${r}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * One script of user-chain edits: INPUT (DROP policy) jumps to WEB and WEB2, which accept, drop or return; then 8 to 19
 * of `-N`, `-A|-I` (of a chain that exists: the reader reads an append to a chain never declared, which iptables
 * refuses), `-F`, `-X CHAIN`, `-X`, `-E` (a jump follows the renamed chain), `-D INPUT -j CHAIN` and `-D INPUT 1`.
 * The generator keeps the chains as it expects iptables to, only to pick chains that exist; the kernel decides.
 */
export function chainScript(seed: number): string {
  const g = gen(seed);
  const chains = new Map<string, string[]>([["INPUT", []]]);
  const lines = ["iptables -P INPUT DROP"];
  const user = ["WEB", "WEB2"];
  const jumpsTo = (c: string) => [...chains.values()].some((rules) => rules.includes(`-p tcp --dport 443 -j ${c}`));
  const add = (chain: string, rule: string) => {
    const insert = g.chance(0.4);
    chains.get(chain)![insert ? "unshift" : "push"](rule);
    lines.push(`iptables ${insert ? "-I" : "-A"} ${chain} ${rule}`);
  };
  const sourceRule = (verdicts: readonly string[]) => `-s ${g.pick(SOURCES)} -p tcp --dport 443 -j ${g.pick(verdicts)}`;
  for (const c of user) {
    lines.push(`iptables -N ${c}`);
    chains.set(c, []);
    add(c, sourceRule(["ACCEPT", "DROP", "RETURN"]));
    add("INPUT", `-p tcp --dport 443 -j ${c}`);
  }
  const count = 8 + g.int(12);
  for (let i = 0; i < count; i++) {
    const c = g.pick(user);
    const roll = g.int(20);
    if (roll < 6) {
      if (chains.has(c)) add(c, sourceRule(["ACCEPT", "DROP", "RETURN"]));
    } else if (roll < 9) {
      if (g.chance(0.5) && chains.has(c)) add("INPUT", `-p tcp --dport 443 -j ${c}`);
      else add("INPUT", sourceRule(["ACCEPT", "DROP"]));
    } else if (roll < 10) {
      lines.push(`iptables -N ${c}`);
      if (!chains.has(c)) chains.set(c, []);
    } else if (roll < 12) {
      lines.push(`iptables -F ${c}`);
      if (chains.has(c)) chains.set(c, []);
    } else if (roll < 14) {
      lines.push(`iptables -X ${c}`);
      if (chains.get(c)?.length === 0 && !jumpsTo(c)) chains.delete(c);
    } else if (roll < 15) {
      lines.push("iptables -X");
      if (user.every((u) => (chains.get(u)?.length ?? 0) === 0 && !jumpsTo(u))) for (const u of user) chains.delete(u);
    } else if (roll < 17) {
      const to = c === "WEB" ? "WEB2" : "WEB";
      lines.push(`iptables -E ${c} ${to}`);
      if (chains.has(c) && !chains.has(to)) {
        chains.set(to, chains.get(c)!);
        chains.delete(c);
        for (const rules of chains.values())
          rules.forEach((r, k) => (rules[k] = r === `-p tcp --dport 443 -j ${c}` ? `-p tcp --dport 443 -j ${to}` : r));
      }
    } else if (roll < 19) {
      const rule = `-p tcp --dport 443 -j ${c}`;
      lines.push(`iptables -D INPUT ${rule}`);
      const k = chains.get("INPUT")!.indexOf(rule);
      if (k >= 0) chains.get("INPUT")!.splice(k, 1);
    } else {
      lines.push("iptables -D INPUT 1");
      chains.get("INPUT")!.shift();
    }
  }
  return `${lines.join("\n")}\n`;
}

describe("iptables -A, -I, -R, -D: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x41e", SOURCES);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  test(`${CASES} random edit scripts from seed ${SEED}, ${SOURCES.length} sources each`, () =>
    checkEditScripts(lab, {
      cases: CASES,
      seed: SEED,
      sources: SOURCES,
      script: editScript,
      parse: parseIptables,
      listing: "iptables-save",
      tool: "iptables",
    }));

  test(`${CASES} random user-chain scripts (-N, -F, -X, -E, jumps) from seed ${SEED}`, () =>
    checkEditScripts(lab, {
      cases: CASES,
      seed: SEED,
      sources: SOURCES,
      script: chainScript,
      parse: parseIptables,
      listing: "iptables-save",
      tool: "iptables",
    }));
});
