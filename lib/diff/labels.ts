/**
 * Human labels of the stable codes a report uses (entry statuses, flags, parser finding kinds): the compare screen and
 * the command line's text show these; the JSON keeps the codes.
 */
import type { FindingKind } from "../parse/types";
import type { EntryFlag, EntryStatus } from "./types";

export const STATUS_LABEL: Record<EntryStatus, string> = {
  covers: "Covers",
  unrelated: "Unrelated",
  deny: "Deny",
  outbound: "Outbound",
  invalid: "Invalid",
  inactive: "Never met",
};

export const FLAG_LABEL: Record<EntryFlag, string> = {
  overbroad: "Over-broad",
  duplicate: "Duplicate",
  redundant: "Redundant",
  "host-bits": "Host bits",
  "other-region": "Other region",
  "wrong-port": "Wrong port",
  shadowed: "Shadowed",
};

export const FINDING_KIND_LABEL: Record<FindingKind, string> = {
  invalid: "Invalid",
  ambiguous: "Ambiguous",
  "not-understood": "Not understood",
  "undefined-reference": "Undefined reference",
  "reference-loop": "Reference loop",
  "unused-object": "Unused object",
  hostname: "Hostname",
  negation: "Negation",
  note: "Note",
};

/** The codes of an entry's verdict worth reporting: its status unless it covers or is unrelated, then its flags. */
export function verdictCodes(status: EntryStatus, flags: readonly EntryFlag[]): (EntryStatus | EntryFlag)[] {
  return status === "covers" || status === "unrelated" ? [...flags] : [status, ...flags];
}

export function verdictLabels(status: EntryStatus, flags: readonly EntryFlag[]): string[] {
  return verdictCodes(status, flags).map((c) =>
    c in FLAG_LABEL ? FLAG_LABEL[c as EntryFlag] : STATUS_LABEL[c as EntryStatus],
  );
}
