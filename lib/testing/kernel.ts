/**
 * The differential check against the kernel: a generated ruleset is loaded into the lab's server namespace, every
 * source connects, and what the kernel let through is compared with what our parser, diff and trace say.
 */
import { mustParseAddress } from "../ip/address";
import type { PublishedEntry } from "../catalog/types";
import { diff } from "../diff/diff";
import { trace } from "../diff/trace";
import type { ParseOutput } from "../parse/types";
import { BEHIND4, SERVER4, type Lab } from "./netns";

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

/** Our verdict per source, from the trace and from the diff (which must agree), then the kernel's. */
export async function checkCase(lab: Lab, parsed: ParseOutput, sources: readonly string[], forward: boolean, also?: ParseOutput): Promise<CaseOutcome> {
  const expected = sources.filter((s) => trace(parsed, mustParseAddress(s), { port: PORT }).allowed);
  // The kernel's own listing of what it loaded (iptables-save, nft list ruleset) must read the same.
  const listed = also ? sources.filter((s) => trace(also, mustParseAddress(s), { port: PORT }).allowed) : expected;
  const catalog: PublishedEntry[] = sources.map((s) => ({ cidr: `${s}/32`, region: "T", products: [] }));
  const d = diff(catalog, parsed, { port: PORT });
  const covered = new Set(d.published.filter((p) => p.status === "covered").map((p) => p.entry.cidr.slice(0, -3)));
  const exp = new Set(expected);
  const diffDisagrees = sources.filter((s) => covered.has(s) !== exp.has(s));
  const listedSet = new Set(listed);
  const listingDisagrees = sources.filter((s) => listedSet.has(s) !== exp.has(s));
  const dst = forward ? BEHIND4 : SERVER4;
  const r = await lab.probe(
    sources.filter((s) => exp.has(s)).map((s) => [s, dst] as const),
    sources.filter((s) => !exp.has(s)).map((s) => [s, dst] as const),
    PORT,
  );
  return { expected, actual: sources.filter((s) => r.open.has(s)), diffDisagrees, listingDisagrees };
}
