import type { DiffResult, EntryFlag, EntryStatus } from "../diff/types";
import type { FindingKind } from "../parse/types";

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** The sentence a manager reads first. */
export function verdictSentence(result: Pick<DiffResult, "regions" | "summary">, port: number): string {
  const { published, covered, partial, missing } = result.summary;
  const regions = result.regions.join(", ");
  if (result.regions.length === 0) return "No region is chosen: pick the regions your account uses.";
  if (published === 0) return `${regions} publish no NAT IPs in this catalog version: nothing to allow.`;
  if (covered === published) {
    return `All ${plural(published, "published NAT IP", "published NAT IPs")} for ${regions} ${published === 1 ? "is" : "are"} allowed on TCP ${port}.`;
  }
  const ofPublished = (n: number) =>
    `${n.toLocaleString("en-US")} of ${plural(published, "published NAT IP", "published NAT IPs")} for ${regions}`;
  const isAre = (n: number) => (n === 1 ? "is" : "are");
  const lead =
    missing > 0
      ? `${ofPublished(missing)} ${isAre(missing)} missing${partial > 0 ? ` and ${partial.toLocaleString("en-US")} ${isAre(partial)} only partly allowed` : ""}`
      : `${ofPublished(partial)} ${isAre(partial)} only partly allowed`;
  return `${lead} on TCP ${port}: webhooks from ${missing + partial === 1 ? "it" : "them"} will be blocked.`;
}

/** What to do about a line, by the most important thing wrong with it. Messages from the engine say what is wrong. */
export function adviceFor(status: EntryStatus, flags: readonly EntryFlag[]): string {
  if (status === "invalid") return "Fix the address or remove the line.";
  if (status === "deny") return "Remove the deny, or put an allow for the NAT IPs above it.";
  if (status === "outbound") return "Add an inbound allow for these addresses; egress rules do not admit webhooks.";
  if (status === "inactive") return "Nothing to do here: put the allow where new inbound connections are decided.";
  if (flags.includes("shadowed")) return "Move this allow above the deny that blocks it.";
  if (flags.includes("wrong-port")) return "Allow the port checked, or change the port if the webhooks use another.";
  if (flags.includes("overbroad")) return "Narrow it to the published NAT IPs (export them from the Missing tab).";
  if (flags.includes("host-bits"))
    return "Write the network address (host bits zero) so every firewall reads it the same.";
  if (flags.includes("other-region")) return "Remove it unless your account also uses that region.";
  if (flags.includes("duplicate") || flags.includes("redundant"))
    return "Remove the line; another one already allows it.";
  if (status === "covers") return "Nothing to do.";
  return "Nothing to do for these webhooks.";
}

export function adviceForFinding(kind: FindingKind): string {
  switch (kind) {
    case "invalid":
    case "ambiguous":
      return "Fix the address or remove the line.";
    case "hostname":
      return "Use the IP addresses: a hostname cannot be checked and firewalls resolve it only once.";
    case "not-understood":
      return "Check the format chosen; if it is right, this line is ignored.";
    case "undefined-reference":
      return "Include the object's definition in the paste.";
    case "reference-loop":
      return "Break the loop between the groups.";
    case "unused-object":
      return "Use the object in an allow rule, or remove it.";
    case "negation":
      return "Check this rule by hand: the negation could not be evaluated exactly.";
    case "note":
      return "For information.";
  }
}

/** Short labels for statuses and flags as badges: one table, lib/diff/labels.ts (the CLI's text uses it too). */
export { FLAG_LABEL, STATUS_LABEL } from "../diff/labels";
