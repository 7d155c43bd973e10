/**
 * Where a missing delta must land to do anything: inside the rule list bound on the path (the ASA ACL bound inbound on
 * the Internet-facing interface, the Junos zone pair's policies), ahead of the first of its rules that denies a
 * missing entry. A permit in a new list
 * bound nowhere filters nothing, and one appended after an explicit `deny ip any any` is never met (first match).
 */
import { rangesOverlap } from "../ip/range";
import type { Range } from "../ip/types";
import type { Entry, ParseOutput, RuleList } from "../parse/types";
import { portMatches, protocolMatches } from "./kernel/context";

export interface DeltaTarget {
  readonly kind: RuleList["kind"];
  /** The list's name (the ACL). */
  readonly name: string;
  /** Where it is bound: "in interface outside", "global". */
  readonly boundOn: string;
  /** Junos: the zone pair whose policies the delta joins. */
  readonly zones?: { readonly from: string; readonly to: string };
  /**
   * The first rule of the list that denies a missing entry on the checked port and protocol: its paste line, its
   * position on the device (ASA line number, IOS sequence number), the position of the rule before it (0: none) and
   * its text; Junos: the policy's name. Absent: no rule of the list does (its implicit deny decides), so rules appended
   * at its end are met.
   */
  readonly deny?: {
    readonly line: number;
    readonly position: number;
    readonly after: number;
    readonly text: string;
    readonly name?: string;
  };
  /** FortiGate: one above the largest policy id of the list (what a delta's new policy can take). */
  readonly nextId?: number;
}

/**
 * The delta target of a parse for the `missing` address ranges (published entries not covered), or undefined when the
 * paste binds no list on the path (the rules must then be bound and placed by hand).
 */
export function deltaTarget(
  parsed: ParseOutput,
  missing: readonly Range[],
  check: { readonly port: number; readonly protocol: string },
): DeltaTarget | undefined {
  const context = parsed.path?.contexts.findIndex((c) => c.onPath && c.list !== undefined) ?? -1;
  const list = context >= 0 ? parsed.path?.contexts[context]?.list : undefined;
  if (list === undefined) return undefined;
  const target = {
    kind: list.kind,
    name: list.name,
    boundOn: list.boundOn,
    ...(list.zones !== undefined ? { zones: list.zones } : {}),
    ...(list.kind === "fortigate-policies"
      ? { nextId: Math.max(0, ...list.rules.map((r) => Number(r.name)).filter(Number.isInteger)) + 1 }
      : {}),
  };
  if (missing.length === 0) return target;
  const indexOf = new Map(list.rules.map((r, k) => [r.line, k]));
  for (const e of parsed.entries) {
    if ((e.context ?? 0) !== context || e.action !== "deny" || e.unmet !== undefined || e.direction === "out") continue;
    if (!protocolMatches(e, check.protocol) || !portMatches(e.ports, check.port)) continue;
    if (!missing.some((r) => rangesOverlap(r, e.range))) continue;
    const line = e.ruleLine ?? e.line;
    const k = indexOf.get(line);
    if (k === undefined) continue;
    const { position, text, name } = list.rules[k]!;
    const after = k > 0 ? list.rules[k - 1]!.position : 0;
    return { ...target, deny: { line, position, after, text, ...(name !== undefined ? { name } : {}) } };
  }
  return target;
}

/** The target whose deny comes first (the delta must go ahead of every deny that meets one of its entries). */
export function earliestTarget(targets: readonly (DeltaTarget | undefined)[]): DeltaTarget | undefined {
  let best: DeltaTarget | undefined;
  for (const t of targets) {
    if (t === undefined) continue;
    if (
      best === undefined ||
      (t.deny !== undefined && (best.deny === undefined || t.deny.position < best.deny.position))
    )
      best = t;
  }
  return best;
}

/**
 * The compared config's inbound denies on the path that meet a `missing` range on the checked port and protocol, in
 * evaluation order: for formats whose order is a priority number or whose blocks always win (GCP, Azure NSG, Windows),
 * a delta's allows must be numbered ahead of them, or cannot override them at all.
 */
export function blockingDenies(
  parsed: ParseOutput,
  missing: readonly Range[],
  check: { readonly port: number; readonly protocol: string },
): Entry[] {
  const onPath = (e: Entry) => parsed.path === undefined || parsed.path.contexts[e.context ?? 0]?.onPath === true;
  return parsed.entries.filter(
    (e) =>
      e.action === "deny" &&
      e.unmet === undefined &&
      e.direction !== "out" &&
      onPath(e) &&
      protocolMatches(e, check.protocol) &&
      portMatches(e.ports, check.port) &&
      missing.some((r) => rangesOverlap(r, e.range)),
  );
}
