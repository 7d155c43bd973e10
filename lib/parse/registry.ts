import { csvParser } from "./csv";
import { plainParser } from "./plain";
import type { FormatId, ParseOptions, ParseOutput, Parser } from "./types";
import { vendorParsers } from "./vendors";

/** Every parser, plain first: it is the fallback and wins ties. */
export const parsers: readonly Parser[] = [plainParser, csvParser, ...vendorParsers];

/** Labels for every format id, including formats whose parser is not registered yet (a missing id fails to compile). */
const LABELS = {
  plain: "Plain list",
  csv: "CSV",
  iptables: "iptables-save",
  nftables: "nftables",
  ipset: "ipset",
  "cisco-asa": "Cisco ASA",
  "cisco-ios": "Cisco IOS",
  panos: "PAN-OS",
  fortigate: "FortiGate",
  junos: "Junos",
  "aws-sg": "AWS security group",
  "aws-prefix-list": "AWS managed prefix list",
  "azure-nsg": "Azure NSG",
  gcp: "GCP firewall",
  nginx: "nginx",
  apache: "Apache",
  haproxy: "HAProxy",
  ufw: "ufw",
  firewalld: "firewalld",
  "junos-hierarchy": "Junos (show configuration)",
  cloudflare: "Cloudflare IP Access rules",
  "allowlist-json": "Allowlist JSON",
  windows: "Windows Firewall",
  mikrotik: "MikroTik RouterOS",
  k8s: "Kubernetes NetworkPolicy",
  terraform: "Terraform",
  checkpoint: "Check Point",
  pfsense: "pfSense / OPNsense",
  "nftables-json": "nftables JSON",
  "panos-xml": "PAN-OS running config (XML)",
} satisfies Record<FormatId, string>;

export const formatIds = Object.keys(LABELS) as FormatId[];

export function isFormatId(s: string): s is FormatId {
  return Object.hasOwn(LABELS, s);
}

function parserFor(id: FormatId): Parser | undefined {
  return parsers.find((p) => p.id === id);
}

export function formatLabel(id: FormatId): string {
  return parserFor(id)?.label ?? LABELS[id];
}

/** Larger pastes are refused with a finding: the browser and the API must stay responsive. */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;

export interface Detection {
  readonly format: FormatId;
  readonly confidence: number;
  /** Every registered format, most likely first. */
  readonly candidates: readonly { readonly format: FormatId; readonly confidence: number }[];
}

/** The most confident parser wins; plain is the fallback (it wins ties). */
export function detectFormat(text: string): Detection {
  const candidates = parsers.map((p) => ({ format: p.id, confidence: safeDetect(p, text) }));
  let best = candidates[0] ?? { format: "plain" as FormatId, confidence: 0 };
  for (const c of candidates) if (c.confidence > best.confidence) best = c;
  const sorted = candidates.slice().sort((a, b) => b.confidence - a.confidence);
  return { format: best.format, confidence: best.confidence, candidates: sorted };
}

// A parser bug must not take the page or the command down with it: it becomes a finding instead.
function safeDetect(p: Parser, text: string): number {
  try {
    const c = p.detect(text);
    return Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
  } catch {
    return 0;
  }
}

/** UTF-8 size without allocating an encoded copy of a text that may be 20 MB. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** True when parseText refuses `text` as too large (its UTF-8 size is over maxBytes). */
export function exceedsInputLimit(text: string, maxBytes: number = MAX_INPUT_BYTES): boolean {
  // text.length <= UTF-8 bytes <= 3 × text.length, so the exact count is needed only near the limit.
  return text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes);
}

export interface ParseTextOptions extends ParseOptions {
  /** Refuse input larger than this many UTF-8 bytes; default MAX_INPUT_BYTES. The CLI reading a file lifts it. */
  readonly maxBytes?: number;
}

/**
 * Parses `text` in the given format, or the detected one ("auto" or omitted). `detected` tells whether the format
 * came from detection rather than the caller.
 */
export function parseText(
  text: string,
  format: FormatId | "auto" = "auto",
  options: ParseTextOptions = {},
): ParseOutput & { readonly detected: boolean } {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const detected = format === "auto";
  if (exceedsInputLimit(text, maxBytes)) {
    const mb = (utf8Length(text) / 1024 / 1024).toFixed(1);
    return {
      format: detected ? "plain" : format,
      entries: [],
      findings: [
        {
          line: 0,
          text: "",
          kind: "invalid",
          message: `The input is ${mb} MB, over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit: split it or use the command line.`,
        },
      ],
      lineCount: 0,
      notes: [],
      detected,
    };
  }
  // A byte order mark (Windows editors save one) is not part of the first line: every reader and detector sees the
  // text without it, so "\ufeff" cannot make a first command unreadable or a first line unindented.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const id = detected ? detectFormat(text).format : format;
  const parser = parserFor(id);
  if (!parser) {
    const out = plainParser.parse(text);
    return { ...out, notes: [`No ${LABELS[id]} reader yet: read as a plain list.`, ...out.notes], detected };
  }
  try {
    const pathOptions: ParseOptions = {
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.ingress !== undefined ? { ingress: options.ingress } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    };
    return { ...parser.parse(text, pathOptions), detected };
  } catch (e) {
    return {
      format: id,
      entries: [],
      findings: [
        {
          line: 0,
          text: "",
          kind: "not-understood",
          message: `The ${parser.label} reader failed (${e instanceof Error ? e.message : String(e)}); please report this input.`,
        },
      ],
      lineCount: 0,
      notes: [],
      detected,
    };
  }
}
