// Shared pieces of the Linux deployment scripts (iptables, ip6tables, nftables, ipset, ufw, firewalld): the header
// sentences that state the deployment model and scope, and the POSIX-shell "remove what is not kept" loop of sync.
import { portsText } from "../helpers";
import type { ExportOptions } from "../types";

/** "tcp 443", "tcp 80, 443": the ports in words for header sentences. */
export function portWords(options: ExportOptions): string {
  return `${options.protocol} ${portsText(options.ports, "-", ", ")}`;
}

/**
 * The header sentences every Linux export carries: its deployment model, what the scope adds or removes, and that
 * re-running it changes nothing. `object` names what the export owns ("chain freshworks", "set freshworks_v4").
 */
export function deploymentSentences(options: ExportOptions, object: string, printsRemovals = true): string[] {
  const model =
    options.deployment === "additive"
      ? `Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.`
      : `Deployment: dedicated. Only these sources may reach ${portWords(options)}; every other source is dropped on that port.`;
  const scope = {
    full: `Scope: full. Adds what ${object} lacks and removes nothing (the sync scope removes what is no longer published).`,
    missing: `Scope: delta. Only adds to ${object}: nothing already allowed is revoked.`,
    sync: `Scope: sync. ${object} ends holding exactly these sources: the missing are added, every other member is removed${printsRemovals ? " (each removal is printed)" : ""}.`,
  }[options.scope];
  const lines = [model, scope, "Idempotent: running it again changes nothing."];
  if (options.deployment === "dedicated" && options.scope === "missing") {
    lines.push(
      `Load it on top of the earlier dedicated export: on its own, a dedicated delta lets only these sources reach ${portWords(options)}.`,
    );
  }
  return lines;
}

/**
 * POSIX shell: `list` prints one member per line; each member not in `keep` is printed as removed and passed to
 * `remove` (a shell function name, or ":" when a later atomic refill does the removal).
 */
export function syncRemovalLoop(keep: readonly string[], list: string, remove: string, what: string): string[] {
  return [
    `keep='`,
    ...keep,
    `'`,
    `${list} | while read -r member; do`,
    `  case "$keep" in *"`,
    `$member`,
    `"*) ;; *) echo "sync: removing $member from ${what}"; ${remove} "$member" ;; esac`,
    "done",
  ];
}
