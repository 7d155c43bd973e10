/**
 * The differential check against the kernel: a generated ruleset is loaded into the lab's server namespace, every
 * source connects, and what the kernel let through is compared with what our parser, diff and trace say.
 */
import assert from "node:assert/strict";
import { mustParseAddress } from "../ip/address";
import type { PublishedEntry } from "../catalog/types";
import { diff } from "../diff/engines/objects";
import { trace } from "../diff/trace";
import type { ParseOptions, ParseOutput } from "../parse/types";
import { parseIptables } from "../parse/vendors/iptables";
import { parseNftables } from "../parse/vendors/nftables";
import { BEHIND4, BEHIND6, SERVER4, SERVER6, type Lab } from "./netns";
import { gen, genIptables, genNft, withNeighbours } from "./rulegen";

export interface CaseOutcome {
  /** Sources our trace lets through. */
  readonly expected: readonly string[];
  /** Sources the kernel let through. */
  readonly actual: readonly string[];
  /** Sources where the diff (covered/missing) disagrees with the trace. */
  readonly diffDisagrees: readonly string[];
  /** Sources where the parse of the kernel's listing disagrees with the parse of the loaded text. */
  readonly listingDisagrees: readonly string[];
}

export const PORT = 443;

/** Addresses of the published IPv6 prefixes (first, last, one inside) and their neighbours n±1. */
export const SOURCES6 = withNeighbours([
  "2406:da00:ff00::",
  "2406:da00:ff00::1",
  "2406:da00:ff00:ffff:ffff:ffff:ffff:ffff",
  "2600:1f18:4c12:9a00::",
  "2600:1f18:4c12:9aff:ffff:ffff:ffff:ffff",
  "2a05:d014:1c8::",
  "2a05:d014:1c9:ffff:ffff:ffff:ffff:ffff",
]);

/** Our verdict per source, from the trace and from the diff (which must agree), then the kernel's. */
export async function checkCase(
  lab: Lab,
  parsed: ParseOutput,
  sources: readonly string[],
  forward: boolean,
  also?: ParseOutput,
): Promise<CaseOutcome> {
  const catalog: PublishedEntry[] = sources.map((s) => ({
    cidr: `${s}/${s.includes(":") ? 128 : 32}`,
    region: "T",
    products: [],
  }));
  const expected = sources.filter((s) => trace(parsed, mustParseAddress(s), { catalog, port: PORT }).allowed);
  // The kernel's own listing of what it loaded (iptables-save, nft list ruleset) must read the same.
  const listed = also
    ? sources.filter((s) => trace(also, mustParseAddress(s), { catalog, port: PORT }).allowed)
    : expected;
  const d = diff(catalog, parsed, { port: PORT });
  const covered = new Set(d.published.filter((p) => p.status === "covered").map((p) => p.entry.cidr.split("/")[0]!));
  const exp = new Set(expected);
  const diffDisagrees = sources.filter((s) => covered.has(s) !== exp.has(s));
  const listedSet = new Set(listed);
  const listingDisagrees = sources.filter((s) => listedSet.has(s) !== exp.has(s));
  const dst = (s: string) => (s.includes(":") ? (forward ? BEHIND6 : SERVER6) : forward ? BEHIND4 : SERVER4);
  const r = await lab.probe(
    sources.filter((s) => exp.has(s)).map((s) => [s, dst(s)] as const),
    sources.filter((s) => !exp.has(s)).map((s) => [s, dst(s)] as const),
    PORT,
  );
  return { expected, actual: sources.filter((s) => r.open.has(s)), diffDisagrees, listingDisagrees };
}

/** One generated case, loaded and checked: its description when something disagrees, undefined when all agree. */
export interface CaseRun {
  readonly seed: number;
  readonly forward: boolean;
  /** Sources the kernel let through (for statistics). */
  readonly open: number;
  /** Sources checked. */
  readonly total: number;
  readonly failure?: string;
}

export type Format = "iptables" | "nftables";

/** Generates, loads and checks case `seed` of `format` in `lab`. */
export async function runCase(
  lab: Lab,
  format: Format,
  seed: number,
  sources: readonly string[],
  sources6: readonly string[] = [],
): Promise<CaseRun> {
  const ifs = { ingress: lab.names.inIf, egress: lab.names.outIf };
  // Each format draws its own sequence from the same seed.
  const g = gen(format === "iptables" ? seed : seed ^ 0x5a5a);
  const forward = g.chance(0.4);
  const options = { path: forward ? "forward" : "input", ingress: lab.names.inIf } as const;
  let text: string;
  let loaded: { ok: boolean; out: string };
  if (format === "iptables") {
    const c = genIptables(g, sources, ifs, forward);
    // IPv6: its own ruleset for the same path from its own sequence, loaded by ip6tables-restore beside the IPv4 one.
    const c6 = sources6.length > 0 ? genIptables(gen(seed ^ 0x6666), sources6, ifs, forward) : { ipset: "", rules: "" };
    text = c.ipset + c6.ipset + c.rules + c6.rules;
    loaded = lab.load(
      { "sets.ipset": c.ipset + c6.ipset, "rules.v4": c.rules, "rules.v6": c6.rules },
      `${c.ipset || c6.ipset ? "ipset restore < sets.ipset; " : ""}iptables-restore < rules.v4${c6.rules ? "; ip6tables-restore < rules.v6" : ""}`,
    );
  } else {
    text = genNft(g, sources, ifs, forward, sources6).rules;
    loaded = lab.load({ "rules.nft": text }, "nft -f rules.nft");
  }
  const where = `seed ${seed} (KERNEL_SEED=${seed} KERNEL_CASES=1, ${forward ? "forward" : "input"} path)`;
  if (!loaded.ok)
    return {
      seed,
      forward,
      open: 0,
      total: 0,
      failure: `${where}: the kernel refused the ruleset:\n${loaded.out}\n${text}`,
    };
  const parse = format === "iptables" ? parseIptables : parseNftables;
  const listing = lab.read(
    format === "iptables"
      ? `ipset save; iptables-save${sources6.length > 0 ? "; ip6tables-save" : ""}`
      : "nft list ruleset",
  );
  const all = [...sources, ...sources6];
  const r = await checkCase(lab, parse(text, options), all, forward, parse(listing, options));
  const show = (xs: readonly string[]) =>
    xs.length > 12 ? `${xs.slice(0, 12).join(", ")} … (${xs.length})` : xs.join(", ");
  const onlyOurs = r.expected.filter((s) => !r.actual.includes(s));
  const onlyKernel = r.actual.filter((s) => !r.expected.includes(s));
  let failure: string | undefined;
  if (onlyOurs.length > 0 || onlyKernel.length > 0) {
    failure = `${where}: our verdicts differ from the kernel's.\nWe allow, the kernel blocks: ${show(onlyOurs)}\nThe kernel allows, we block: ${show(onlyKernel)}\n${text}`;
  } else if (r.diffDisagrees.length > 0)
    failure = `${where}: the diff and the trace disagree on ${show(r.diffDisagrees)}\n${text}`;
  else if (r.listingDisagrees.length > 0)
    failure = `${where}: the kernel's own listing reads otherwise for ${show(r.listingDisagrees)}\n${listing}`;
  return { seed, forward, open: r.actual.length, total: all.length, ...(failure !== undefined ? { failure } : {}) };
}

/**
 * The loop of the edit-script tests (iptables, ipset, nft): each of `cases` scripts from `seed` on is run command by
 * command in the lab (a refused command changes nothing and the next ones still run), and for each the kernel's
 * verdicts must equal our parse of the script, the diff must agree with the trace, and our parse of the kernel's
 * listing (`listing`, a shell command) must read the same. The scripts must not degenerate: from 20 cases on, a
 * quarter or more must let some sources through and not others, and a quarter or more must have a refused command.
 */
export async function checkEditScripts(
  lab: Lab,
  opts: {
    readonly cases: number;
    readonly seed: number;
    readonly sources: readonly string[];
    readonly script: (seed: number) => string;
    readonly parse: (text: string, options: ParseOptions) => ParseOutput;
    readonly listing: string;
    readonly tool: string;
  },
): Promise<void> {
  const { cases, sources, tool } = opts;
  let mixed = 0;
  let failing = 0;
  for (let i = 0; i < cases; i++) {
    const seed = opts.seed + i;
    const text = opts.script(seed);
    const loaded = lab.load({ "edits.sh": text }, "sh edits.sh 2>errors.txt || true; cat errors.txt");
    assert.equal(loaded.ok, true, loaded.out);
    if (loaded.out.trim() !== "") failing++;
    const options = { path: "input", ingress: lab.names.inIf } as const;
    const parsed = opts.parse(text, options);
    const listed = opts.parse(lab.read(opts.listing), options);
    const r = await checkCase(lab, parsed, sources, false, listed);
    const where = `seed ${seed} (KERNEL_SEED=${seed} KERNEL_CASES=1)`;
    assert.deepEqual(r.actual, r.expected, `${where}: the kernel's verdicts differ from ours\n${text}`);
    assert.deepEqual(r.diffDisagrees, [], `${where}: the diff and the trace disagree\n${text}`);
    assert.deepEqual(r.listingDisagrees, [], `${where}: ${opts.listing} reads otherwise\n${text}`);
    if (r.actual.length > 0 && r.actual.length < sources.length) mixed++;
  }
  if (cases >= 20) {
    assert.ok(mixed >= cases / 4, `only ${mixed} of ${cases} scripts let some sources through and not others`);
    assert.ok(failing >= cases / 4, `only ${failing} of ${cases} scripts had a command ${tool} refused`);
  }
}
