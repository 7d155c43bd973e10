/**
 * Helpers shared by the host and SMB firewall readers added for issue 17 (ufw, firewalld, MikroTik, Windows,
 * Kubernetes, Terraform, Check Point, Cloudflare …). Pure: no Node APIs.
 */
import type { Entry, PortRange } from "../types";
import type { Family } from "../../ip/types";
import { type AddressTerm, type Line, SERVICE_PORTS, anyTerm, parsePortRange, readAddressTerm } from "./common";
import { makeEntry, type RuleFacts } from "./linuxcommon";

/** Rule facts plus the path fields (context index, unmet condition). */
export interface PathFacts extends RuleFacts {
  readonly context?: number | undefined;
  readonly unmet?: string | undefined;
}

/** makeEntry with the path fields set only when given, so whole entries compare exactly in tests. */
export function pathEntry(line: Line, term: AddressTerm, facts: PathFacts): Entry {
  const e = makeEntry(line, term, facts) as { -readonly [K in keyof Entry]: Entry[K] };
  if (facts.context !== undefined && facts.context !== 0) e.context = facts.context;
  if (facts.unmet !== undefined) e.unmet = facts.unmet;
  return e;
}

/** "any" for the families a rule covers. */
export function anySources(families: readonly Family[], token: string): AddressTerm[] {
  return families.map((f) => anyTerm(token, f));
}

/**
 * A port list as configs write it: "443", "80,443", "8000:8100", "8000-8100", a service name ("https").
 * Undefined when any part does not read.
 */
export function readPortList(text: string): PortRange[] | undefined {
  const out: PortRange[] = [];
  for (const part of text.split(",")) {
    const p = part.trim();
    if (p === "") return undefined;
    const r = parsePortRange(p) ?? SERVICE_PORTS[p.toLowerCase()];
    if (!r) return undefined;
    out.push(r);
  }
  return out.length > 0 ? out : undefined;
}

/** Reads an address term, also "any"-style keywords given in `anyWords`. */
export function readSource(
  token: string,
  anyWords: ReadonlySet<string>,
  families: readonly Family[] = [4, 6],
): ReturnType<typeof readAddressTerm> | { ok: true; any: AddressTerm[] } {
  if (anyWords.has(token.toLowerCase())) return { ok: true, any: anySources(families, token) };
  return readAddressTerm(token);
}

/** The family of an address term. */
export function familyOf(term: AddressTerm): Family {
  return term.range.first.family;
}

/** Parses a hex string (ufw stores comments hex-encoded); undefined when it is not hex. */
export function fromHex(hex: string): string | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
