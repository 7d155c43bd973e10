/**
 * The trace of one address: the path a new inbound TCP connection from it takes through a parsed config, every rule
 * it meets on the way (matched or not, and why), which rule or default decided each context, and the verdict.
 * Like a firewall's packet tracer, on a paste. It reads the same parse and the same matching rules as the diff.
 */
import type { CatalogSource } from "../catalog/catalog";
import { formatAddress } from "../ip/address";
import { rangeContains } from "../ip/range";
import type { Address } from "../ip/types";
import type { Entry, ParseOutput, PathContext } from "../parse/types";
import { withPublishedDestinations } from "./kernel/destination";
import { contextIndex, contextsOf, formatPorts, portMatches, protocolMatches } from "./kernel/context";

/** One rule whose addresses hold the traced address. */
export interface TraceStep {
  readonly entryIndex: number;
  /** The line that holds the address (an object, a set member, a jump's match), and its text. */
  readonly line: number;
  readonly text: string;
  /**
   * The rule itself, when it sits on another line than the address (an ACL entry naming an object group, the accept
   * inside a chain that a jump with the address leads to, the block of a multi-line rule): its line, and its text when
   * the trace was given the source. Steps and decisions name the address's line, the one the text view highlights.
   */
  readonly rule?: { readonly line: number; readonly text?: string };
  /** Object or group names the address was reached through, outermost first. */
  readonly via?: readonly string[];
  readonly action: Entry["action"];
  readonly matched: boolean;
  /** Why it matched or not: "address, protocol and port match", "only ESTABLISHED,RELATED connections" … */
  readonly why: string;
  /** This rule decided the context. */
  readonly decided: boolean;
}

export interface TraceContext {
  readonly name: string;
  readonly line: number;
  readonly text: string;
  readonly onPath: boolean;
  readonly reason: string;
  readonly fallthrough: PathContext["fallthrough"];
  /** The rules met, in evaluation order, up to the one that decided (at most MAX_STEPS). */
  readonly steps: readonly TraceStep[];
  /** Rules holding the address that were met but not listed (over MAX_STEPS). */
  readonly omitted: number;
  /** What decided: a rule, or the context's default; null for a context not on the path. */
  readonly decision:
    | { readonly by: "rule"; readonly line: number; readonly action: Entry["action"] }
    | { readonly by: "default"; readonly action: Entry["action"] }
    | null;
  /** The connection gets through this context (null when not on the path). */
  readonly passes: boolean | null;
}

export interface Trace {
  readonly address: string;
  readonly protocol: string;
  readonly port: number;
  readonly allowed: boolean;
  /** One sentence: the verdict and what decided it. */
  readonly summary: string;
  readonly assumption?: string;
  readonly contexts: readonly TraceContext[];
}

export const MAX_STEPS = 200;

/** Why an entry holding the address does not match a new TCP connection to the port, or undefined when it matches. */
function mismatch(e: Entry, protocol: string, port: number): string | undefined {
  if (e.direction === "out") return "an egress rule: it is not met by inbound connections";
  if (e.unmet !== undefined) return e.unmet;
  if (!protocolMatches(e, protocol)) return `protocol ${e.protocol ?? "any"}, not ${protocol.toUpperCase()}`;
  if (!portMatches(e.ports, port))
    return `port${e.ports!.length > 1 || e.ports![0]!.from !== e.ports![0]!.to ? "s" : ""} ${formatPorts(e.ports!)}, not ${port}`;
  return undefined;
}

function where(c: Pick<TraceContext, "name" | "line">): string {
  return c.line > 0 ? `${c.name} (line ${c.line})` : c.name;
}

/**
 * The text of each wanted 1-based line of `source` (trimmed, as entries keep theirs), in one pass over the text and
 * without splitting it: a trace names a handful of rule lines of a paste that may be 20 MB.
 */
function linesOf(source: string, wanted: ReadonlySet<number>): Map<number, string> {
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const last = Math.max(...wanted);
  let start = 0;
  for (let n = 1; n <= last && start <= source.length; n++) {
    let end = source.indexOf("\n", start);
    if (end < 0) end = source.length;
    if (wanted.has(n)) out.set(n, source.slice(start, end).trim());
    start = end + 1;
  }
  return out;
}

export function trace(
  parsed: ParseOutput,
  address: Address,
  options: {
    /** The published NAT IPs: a rule only to them (source and destination swapped) is never met, as in the diff. */
    catalog: CatalogSource;
    port?: number;
    protocol?: string;
    /** The text that was parsed: with it, steps whose rule sits on another line than the address quote the rule. */
    source?: string;
  },
): Trace {
  parsed = withPublishedDestinations(parsed, options.catalog);
  const port = options.port ?? 443;
  const protocol = (options.protocol ?? "tcp").toLowerCase();
  const contexts = contextsOf(parsed);
  const steps: TraceStep[][] = contexts.map(() => []);
  const omitted = contexts.map(() => 0);
  const decided: (TraceStep | undefined)[] = contexts.map(() => undefined);
  parsed.entries.forEach((e, i) => {
    const c = contextIndex(e, contexts.length);
    if (decided[c] !== undefined || !rangeContains(e.range, address)) return;
    const why = mismatch(e, protocol, port);
    const matched = why === undefined && contexts[c]!.onPath;
    const step: TraceStep = {
      entryIndex: i,
      line: e.line,
      text: e.text,
      ...(e.ruleLine !== undefined && e.ruleLine !== e.line ? { rule: { line: e.ruleLine } } : {}),
      ...(e.via !== undefined && e.via.length > 0 ? { via: e.via } : {}),
      action: e.action,
      matched,
      why:
        why ??
        (contexts[c]!.onPath
          ? `address, ${protocol.toUpperCase()} and port ${port} match`
          : "its context is not on the path"),
      decided: matched,
    };
    if (matched) decided[c] = step;
    if (steps[c]!.length < MAX_STEPS || matched) steps[c]!.push(step);
    else omitted[c]!++;
  });

  if (options.source !== undefined) {
    const wanted = new Set<number>();
    for (const list of steps) for (const s of list) if (s.rule !== undefined) wanted.add(s.rule.line);
    const texts = linesOf(options.source, wanted);
    for (const list of steps)
      list.forEach((s, k) => {
        const text = s.rule === undefined ? undefined : texts.get(s.rule.line);
        if (text !== undefined) list[k] = { ...s, rule: { line: s.rule!.line, text } };
      });
  }

  const traced: TraceContext[] = contexts.map((c0, ci) => {
    // A context of the other address family is not crossed by this connection.
    const c =
      c0.family !== undefined && c0.family !== address.family && c0.onPath
        ? { ...c0, onPath: false, reason: `only IPv${c0.family} connections cross it` }
        : c0;
    const d = decided[ci];
    const decision: TraceContext["decision"] = !c.onPath
      ? null
      : d
        ? { by: "rule", line: d.line, action: d.action }
        : { by: "default", action: c.fallthrough };
    return {
      name: c.name,
      line: c.line,
      text: c.text,
      onPath: c.onPath,
      reason: c.reason,
      fallthrough: c.fallthrough,
      steps: steps[ci]!,
      omitted: omitted[ci]!,
      decision,
      passes: decision === null ? null : decision.action === "allow",
    };
  });
  const onPath = traced.filter((c) => c.onPath);
  const blocker = onPath.find((c) => c.passes === false);
  const allowed = onPath.length > 0 && blocker === undefined;
  const text = formatAddress(address);
  const head = `${text} → ${protocol.toUpperCase()} ${port}`;
  let summary: string;
  if (onPath.length === 0) summary = `${head}: blocked — nothing in the paste is on the path of an inbound connection.`;
  else if (blocker) {
    const d = blocker.decision!;
    summary =
      d.by === "rule"
        ? `${head}: blocked by line ${d.line} in ${blocker.name}.`
        : `${head}: blocked — no rule of ${where(blocker)} matches, and its default is deny.`;
  } else {
    const by = onPath.map((c) =>
      c.decision!.by === "rule" ? `line ${(c.decision as { line: number }).line}` : `the default of ${c.name}`,
    );
    summary = `${head}: allowed by ${by.join(", then ")}.`;
  }
  return {
    address: text,
    protocol,
    port,
    allowed,
    summary,
    ...(parsed.path?.assumption !== undefined ? { assumption: parsed.path.assumption } : {}),
    contexts: traced,
  };
}
