/**
 * ACL grammar shared by Cisco ASA and IOS: address operands, port operators, protocol words.
 * The mask after an address is a netmask on ASA and a wildcard mask on IOS: the caller says which.
 */
import { parseAddress, parseNetmask, parsePrefix, parseWildcardMask, makePrefix } from "../../ip";
import { addressTerm, anyTerm, portsOfOperator, prefixTerm, SERVICE_PORTS } from "./common";
import type { AddressTerm } from "./common";
import type { PortRange } from "../types";
import type { ServiceTerm } from "./common";

/** An ACL address operand: literal terms, or a reference to an object/object-group. */
export type CiscoOperand = { readonly terms: readonly AddressTerm[] } | { readonly ref: string };

export type OperandResult =
  | { readonly ok: true; readonly next: number; readonly operand: CiscoOperand }
  | { readonly ok: false; readonly kind: "invalid" | "not-understood" | "hostname"; readonly message: string };

export interface AddressGrammar {
  /** "netmask" (ASA) or "wildcard" (IOS) after a bare address. */
  readonly mask: "netmask" | "wildcard";
  /** Families the keyword "any" stands for (ASA 9: both; IOS ip ACL: 4; ipv6 ACL: 6). */
  readonly anyFamilies: readonly (4 | 6)[];
  /** IOS standard ACLs allow a bare address with no mask, meaning one host. */
  readonly bareIsHost?: boolean;
  /** ASA `name` aliases: alias → address text. */
  readonly names?: ReadonlyMap<string, string>;
}

function alias(word: string, g: AddressGrammar): string {
  return g.names?.get(word) ?? word;
}

const bad = (kind: "invalid" | "not-understood" | "hostname", message: string): OperandResult => ({ ok: false, kind, message });

/** Parses the address operand starting at w[i]. */
export function parseCiscoAddress(w: readonly string[], i: number, g: AddressGrammar): OperandResult {
  const word = w[i];
  if (word === undefined) return bad("invalid", "An address is missing.");
  switch (word) {
    case "any":
      return { ok: true, next: i + 1, operand: { terms: g.anyFamilies.map((f) => anyTerm("any", f)) } };
    case "any4":
      return { ok: true, next: i + 1, operand: { terms: [anyTerm("any4", 4)] } };
    case "any6":
      return { ok: true, next: i + 1, operand: { terms: [anyTerm("any6", 6)] } };
    case "host": {
      const a = w[i + 1];
      if (a === undefined) return bad("invalid", '"host" needs an address.');
      const t = addressTerm(`host ${a}`, alias(a, g));
      if (t) return { ok: true, next: i + 2, operand: { terms: [t] } };
      return /[a-z]/i.test(a) && !a.includes(":")
        ? bad("hostname", `"${a}" is a name, not an address: it cannot be checked.`)
        : bad("invalid", `"${a}" is not a valid address.`);
    }
    case "object":
    case "object-group":
    case "addrgroup": {
      const name = w[i + 1];
      if (name === undefined) return bad("invalid", `"${word}" needs a name.`);
      return { ok: true, next: i + 2, operand: { ref: name } };
    }
    case "interface":
    case "user":
    case "user-group":
    case "object-group-user":
    case "security-group":
    case "object-group-security":
      return bad("not-understood", `The "${word}" operand is not understood here; its addresses are not read.`);
  }
  if (word.includes("/")) {
    const p = parsePrefix(word);
    return p.ok ? { ok: true, next: i + 1, operand: { terms: [prefixTerm(word, p.value)] } } : bad("invalid", `"${word}": ${p.error.message}.`);
  }
  const a = parseAddress(alias(word, g));
  if (!a.ok) return bad("invalid", `"${word}": ${a.error.message}.`);
  const maskWord = w[i + 1];
  const maskParsed = maskWord === undefined ? undefined : parseAddress(maskWord);
  if (maskWord === undefined || !maskParsed?.ok || a.value.family === 6) {
    if (g.bareIsHost) return { ok: true, next: i + 1, operand: { terms: [addressTerm(word, alias(word, g))!] } };
    return bad("invalid", `"${word}" needs a ${g.mask === "netmask" ? "netmask" : "wildcard mask"} after it.`);
  }
  const bits = g.mask === "netmask" ? parseNetmask(maskWord) : parseWildcardMask(maskWord);
  if (!bits.ok) {
    return bad("invalid", `"${word} ${maskWord}": ${bits.error.message}; it cannot be read as one address block.`);
  }
  if (bits.value > 32) return bad("invalid", `"${maskWord}" is not an IPv4 mask.`);
  const token = `${word} ${maskWord}`;
  const term = prefixTerm(token, makePrefix(a.value, bits.value), g.mask === "wildcard" ? "wildcard" : "cidr");
  return { ok: true, next: i + 2, operand: { terms: [term] } };
}

/** Cisco port names beyond the common ones (from the IOS/ASA literal-name tables). */
const CISCO_PORTS: Readonly<Record<string, number>> = {
  bgp: 179,
  "ftp-data": 20,
  echo: 7,
  discard: 9,
  daytime: 13,
  chargen: 19,
  finger: 79,
  gopher: 70,
  ident: 113,
  irc: 194,
  kerberos: 88,
  login: 513,
  lpd: 515,
  nntp: 119,
  "netbios-ssn": 139,
  pptp: 1723,
  rsh: 514,
  rtsp: 554,
  sip: 5060,
  sqlnet: 1521,
  sunrpc: 111,
  tacacs: 49,
  tftp: 69,
  whois: 43,
  bootps: 67,
  bootpc: 68,
  isakmp: 500,
  syslog: 514,
  snmptrap: 162,
  "citrix-ica": 1494,
  h323: 1720,
  cifs: 445,
};

export function ciscoPortNumber(word: string): number | undefined {
  return SERVICE_PORTS[word]?.from ?? CISCO_PORTS[word];
}

function isPortWord(word: string | undefined): word is string {
  return word !== undefined && (/^\d{1,5}$/.test(word) || ciscoPortNumber(word) !== undefined);
}

const PORT_OPERATORS = new Set(["eq", "neq", "lt", "gt", "range"]);

export function isPortOperator(word: string | undefined): boolean {
  return word !== undefined && PORT_OPERATORS.has(word);
}

/**
 * Parses a port operator at w[i] ("eq 443", "range 8000 8080"; IOS also "eq 80 443"). `multi` lets eq take several
 * ports. Returns undefined ports when the operands do not parse.
 */
export function parseCiscoPorts(
  w: readonly string[],
  i: number,
  multi: boolean,
): { readonly next: number; readonly ports: PortRange[] | undefined } {
  const op = w[i]!;
  const operands: string[] = [];
  let j = i + 1;
  const want = op === "range" ? 2 : 1;
  while (j < w.length && (operands.length < want || (multi && op === "eq" && isPortWord(w[j])))) {
    operands.push(w[j]!);
    j++;
  }
  return { next: j, ports: portsOfOperator(op, operands, ciscoPortNumber) };
}

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { "1": "icmp", "6": "tcp", "17": "udp", "58": "icmp6" };

/** "ip"/"ipv6" → undefined (any protocol); numbers → names where common; otherwise the word, lower-cased. */
export function ciscoProtocol(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w === "ip" || w === "ipv6" || w === "0") return undefined;
  return PROTOCOL_NUMBERS[w] ?? w;
}

/** Service spec words from w[i]: PROTO [source OP …] [destination OP …] (legacy: PROTO OP … = destination). */
export function ciscoServiceSpec(w: readonly string[], i: number): ServiceTerm[] | string {
  const protoWord = w[i];
  if (protoWord === undefined) return "The service has no protocol.";
  let ports: ServiceTerm["ports"];
  let j = i + 1;
  // Only TCP/UDP/SCTP take ports; words after other protocols are ICMP types and the like.
  if (!/^(?:tcp|udp|tcp-udp|sctp|6|17)$/.test(protoWord)) j = w.length;
  while (j < w.length) {
    const isSource = w[j] === "source";
    if (w[j] === "source" || w[j] === "destination") j++;
    if (!isPortOperator(w[j])) return `"${w.slice(i).join(" ")}" is not understood.`;
    const p = parseCiscoPorts(w, j, false);
    if (!p.ports) return `The ports of "${w.slice(i).join(" ")}" do not parse.`;
    if (!isSource) ports = p.ports;
    j = p.next;
  }
  const protocols = protoWord === "tcp-udp" ? ["tcp", "udp"] : [ciscoProtocol(protoWord)];
  return protocols.map((protocol) => ({ ...(protocol === undefined ? {} : { protocol }), ...(ports ? { ports } : {}) }));
}
