/**
 * The diff kernel's messages: every sentence a verdict says, worded once for both engines (and the trace).
 */
import { formatPrefix } from "../../ip/prefix";
import { formatRange } from "../../ip/range";
import type { Entry, PathContext } from "../../parse/types";
import { formatPorts, protocolMatches, type DiffContext, type Target } from "./context";

export const OUTBOUND_MESSAGE = "Egress rule: it does not let inbound webhooks in.";

export const DENY_MESSAGE = "Deny rule: it blocks no published NAT IP of the chosen regions.";

/** A deny of an address family the chosen regions publish nothing in (the "::/0" half of a "*" rule). */
export function denyNoFamilyMessage(family: 4 | 6): string {
  return `Deny rule: the chosen regions publish no IPv${family} NAT IP, so it blocks none.`;
}

/** Whether an inbound allow of `size` addresses (a number for IPv4, a bigint for IPv6) is wider than the thresholds. */
export function isOverbroad(ctx: DiffContext, e: Pick<Entry, "kind">, v4: boolean, size: number | bigint): boolean {
  const whole = v4 ? size === 2 ** 32 : size === 1n << 128n;
  const wide = v4 ? (size as number) > ctx.threshold4 : (size as bigint) > ctx.threshold6;
  return e.kind === "any" || whole || wide;
}

/** "Over-broad: …" for an inbound allow wider than the thresholds, or undefined. */
export function overbroadMessage(
  ctx: DiffContext,
  e: Pick<Entry, "kind" | "token">,
  v4: boolean,
  size: number | bigint,
): string | undefined {
  if (!isOverbroad(ctx, e, v4, size)) return undefined;
  const whole = v4 ? size === 2 ** 32 : size === 1n << 128n;
  return whole
    ? `Over-broad: ${e.token} allows the whole ${v4 ? "IPv4 " : "IPv6 "}Internet.`
    : `Over-broad: ${e.token} allows ${size.toLocaleString("en-US")} addresses (wider than /${v4 ? ctx.overbroadV4 : ctx.overbroadV6}).`;
}

export function duplicateMessage(line: number): string {
  return `Duplicate of line ${line}: remove it.`;
}

export function redundantMessage(outerToken: string, outerLine: number): string {
  return `Already inside ${outerToken} (line ${outerLine}).`;
}

export function unmetMessage(unmet: string): string {
  return `Never met by a new inbound connection: ${unmet}.`;
}

export function offPathMessage(c: PathContext): string {
  return `${c.name} is not on the path: ${c.reason}`;
}

/** "52.1.37.96/32 (US)", "…, … and 3 more": messages name at most three published entries. */
export function describeTargets(targets: readonly Target[]): string {
  const names = targets.slice(0, 3).map((t) => `${t.entry.cidr} (${t.entry.region})`);
  const more = targets.length - names.length;
  return more > 0 ? `${names.join(", ")} and ${more} more` : names.join(", ");
}

export function describeHow(e: Entry): string {
  if (e.via !== undefined && e.via.length > 0) return `object ${e.via.join(" → ")}`;
  switch (e.kind) {
    case "any":
      return "any";
    case "wildcard":
      return `the wildcard ${e.token}`;
    case "range":
      return `the range ${e.token}`;
    default:
      return e.prefix ? `the broader CIDR ${formatPrefix(e.prefix)}` : `${formatRange(e.range)}`;
  }
}

export function wrongPortMessage(e: Entry, protocol: string, port: number): string {
  const proto = (e.protocol ?? protocol).toUpperCase();
  const ports = e.ports ? ` ${formatPorts(e.ports)}` : "";
  return protocolMatches(e, protocol)
    ? `Only ${proto}${ports} — the checked port ${port} is not allowed.`
    : `Only ${proto}${ports} — ${protocol.toUpperCase()} port ${port} is not allowed.`;
}

export function otherServiceMessage(e: Entry, protocol: string, port: number): string {
  const proto = (e.protocol ?? protocol).toUpperCase();
  const ports = e.ports ? ` ${formatPorts(e.ports)}` : "";
  return `Only ${proto}${ports}: another service, it does not decide ${protocol.toUpperCase()} ${port} for these webhooks.`;
}
