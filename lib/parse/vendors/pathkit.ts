/**
 * Path pieces shared by the appliance, server and cloud parsers (Cisco, PAN-OS, FortiGate, Junos, nginx, Apache,
 * HAProxy, AWS, Azure, GCP): which names face the Internet, and tagging the entries a rule emitted with their context
 * and the condition a new inbound SYN cannot meet.
 */
import type { Entry } from "../types";

/** Interface, zone and nameif words that say "this side faces the Internet". */
const INTERNET_WORDS =
  /(?:^|[^a-z])(?:outside|wan\d*|internet|untrust(?:ed)?|external|ext|isp\d*|public|uplink|dmz-?wan)(?:$|[^a-z])/i;

/** Whether a name (interface, zone, nameif, description) says it faces the Internet. */
export function looksInternetFacing(name: string): boolean {
  return INTERNET_WORDS.test(name);
}

/** Case-insensitive name equality: configs and users differ in case (Outside, OUTSIDE). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Sets `context` (and `unmet` when given) on the entries emitted since index `from`. The entries are fresh objects
 * the parser just built, so they are completed in place rather than copied (1M-entry pastes).
 */
export function tagEntries(entries: Entry[], from: number, context: number, unmet?: string): void {
  for (let i = from; i < entries.length; i++) {
    const e = entries[i] as { context?: number; unmet?: string };
    e.context = context;
    if (unmet !== undefined) e.unmet = unmet;
  }
}

/**
 * A condition whose truth for a webhook's SYN the paste cannot tell (a time-range, a source port): an allow under it is
 * not counted as coverage (unmet), a deny under it is read as matching. Both errors a reader could make are then on
 * the safe side: never "covered" for what the device may block.
 */
export function conditionalUnmet(
  action: Entry["action"],
  conditions: readonly string[] | undefined,
): string | undefined {
  return action === "allow" && conditions !== undefined && conditions.length > 0 ? conditions.join("; ") : undefined;
}

/** Joins the present parts of an unmet reason (up to four; no allocation when none is present: it runs per rule). */
export function joinUnmet(a?: string, b?: string, c?: string, d?: string): string | undefined {
  if (a === undefined && b === undefined && c === undefined && d === undefined) return undefined;
  let out: string | undefined;
  for (const p of [a, b, c, d]) if (p !== undefined && p !== "") out = out === undefined ? p : `${out}; ${p}`;
  return out;
}
