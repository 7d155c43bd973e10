import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mustParseAddress, mustParsePrefix, prefixRange } from "../ip/index";
import type { Range } from "../ip/types";
import { countLines, parsePlain, parseTerm } from "./plain";
import type { Entry } from "./types";

function r(first: string, last: string = first): Range {
  return { first: mustParseAddress(first), last: mustParseAddress(last) };
}

function entry(line: number, text: string, token: string, range: Range, kind: Entry["kind"], extra: Partial<Entry> = {}): Entry {
  return { line, text, token, range, kind, ...(extra.prefix ? { prefix: extra.prefix } : {}), action: "allow", direction: "in", ...(extra.comment ? { comment: extra.comment } : {}) };
}

describe("parsePlain", () => {
  test("every spelling, separators and comments", () => {
    const text = [
      "# Freshworks US",
      "52.1.37.96, 52.1.32.88/32; 18.208.240.77 # office",
      "; an INI-style comment",
      "// a C-style comment",
      "",
      "44.206.73.232 - 44.206.73.239\t13.232.152.*",
      "52.66.184.184/255.255.255.255  2001:db8::1-2001:db8::ff",
      "::ffff:52.1.37.96 2001:DB8:0:0:0:0:0:1/128 // v6",
    ].join("\r\n") + "\r\n";
    const l2 = "52.1.37.96, 52.1.32.88/32; 18.208.240.77 # office";
    const l6 = "44.206.73.232 - 44.206.73.239\t13.232.152.*";
    const l7 = "52.66.184.184/255.255.255.255  2001:db8::1-2001:db8::ff";
    const l8 = "::ffff:52.1.37.96 2001:DB8:0:0:0:0:0:1/128 // v6";
    assert.deepEqual(parsePlain(text), {
      format: "plain",
      entries: [
        entry(2, l2, "52.1.37.96", r("52.1.37.96"), "address", { comment: "office" }),
        entry(2, l2, "52.1.32.88/32", r("52.1.32.88"), "cidr", { prefix: mustParsePrefix("52.1.32.88/32"), comment: "office" }),
        entry(2, l2, "18.208.240.77", r("18.208.240.77"), "address", { comment: "office" }),
        entry(6, l6, "44.206.73.232 - 44.206.73.239", r("44.206.73.232", "44.206.73.239"), "range"),
        entry(6, l6, "13.232.152.*", r("13.232.152.0", "13.232.152.255"), "wildcard"),
        entry(7, l7, "52.66.184.184/255.255.255.255", r("52.66.184.184"), "cidr", { prefix: mustParsePrefix("52.66.184.184/32") }),
        entry(7, l7, "2001:db8::1-2001:db8::ff", r("2001:db8::1", "2001:db8::ff"), "range"),
        entry(8, l8, "::ffff:52.1.37.96", r("::ffff:52.1.37.96"), "address", { comment: "v6" }),
        entry(8, l8, "2001:DB8:0:0:0:0:0:1/128", r("2001:db8::1"), "cidr", { prefix: mustParsePrefix("2001:db8::1/128"), comment: "v6" }),
      ],
      findings: [],
      lineCount: 8,
      notes: [],
    });
  });

  test("bad lines become findings with line, kind and reason; a line may give entries and findings", () => {
    const text = "052.001.037.096\nhooks.freshchat.com\n1.2.3.4 banana 10.1\n1.2.3.4/33\n10.0.0.0/255.0.255.0\n*\n13.*";
    const out = parsePlain(text);
    assert.deepEqual(out.entries, [entry(3, "1.2.3.4 banana 10.1", "1.2.3.4", r("1.2.3.4"), "address")]);
    assert.deepEqual(out.findings, [
      { line: 1, text: "052.001.037.096", kind: "ambiguous", message: 'Ambiguous, not guessed: "052.001.037.096" — leading zero is ambiguous (octal?) (column 1).' },
      { line: 2, text: "hooks.freshchat.com", kind: "hostname", message: '"hooks.freshchat.com" is a hostname, not an address (column 1): a firewall matches IP addresses, so list the IPs it stands for.' },
      { line: 3, text: "1.2.3.4 banana 10.1", kind: "invalid", message: 'Not an address: "banana" — not an IP address (column 9).' },
      { line: 3, text: "1.2.3.4 banana 10.1", kind: "ambiguous", message: 'Ambiguous, not guessed: "10.1" — expected 4 octets, found 2 (shorthand like "10.1" is not allowed) (column 20).' },
      { line: 4, text: "1.2.3.4/33", kind: "invalid", message: 'Not an address: "1.2.3.4/33" — prefix length is greater than 32 (column 9).' },
      { line: 5, text: "10.0.0.0/255.0.255.0", kind: "invalid", message: 'Not an address: "10.0.0.0/255.0.255.0" — netmask is not contiguous (ones followed only by zeros) (column 16).' },
      { line: 6, text: "*", kind: "ambiguous", message: 'Ambiguous, not guessed: "*" — a lone \'*\' is ambiguous (any IPv4? any IPv6?); write 0.0.0.0/0 (column 1).' },
      { line: 7, text: "13.*", kind: "ambiguous", message: 'Ambiguous, not guessed: "13.*" — expected 4 parts, found 2 (a short wildcard is ambiguous) (column 5).' },
    ]);
    assert.equal(out.lineCount, 7);
  });

  test("a netmask of the other family is refused", () => {
    assert.deepEqual(parseTerm("2001:db8::/255.255.0.0"), {
      ok: false,
      kind: "invalid",
      message: "an IPv4 netmask cannot apply to an IPv6 address",
      position: 11,
    });
  });

  test("a prefix keeps its host bits", () => {
    const p = mustParsePrefix("18.208.240.77/30");
    assert.deepEqual(parseTerm("18.208.240.77/30"), { ok: true, range: prefixRange(p), kind: "cidr", prefix: p });
  });

  test("lineCount ignores a trailing newline; blank input has no lines", () => {
    assert.equal(countLines(""), 0);
    assert.equal(countLines("a"), 1);
    assert.equal(countLines("a\n"), 1);
    assert.equal(countLines("a\n\n"), 2);
    assert.equal(parsePlain("a\n\n").lineCount, 2);
  });

  test("never throws; every non-blank, non-comment line gives an entry or a finding", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom(..."0123456789abcdef.:/-*, ;#\t\nxz") }), { maxLength: 20 }), (lines) => {
        const text = lines.join("\n");
        const out = parsePlain(text);
        const seen = new Set([...out.entries.map((e) => e.line), ...out.findings.map((f) => f.line)]);
        text.split("\n").forEach((raw, k) => {
          const t = raw.trim();
          const content = t.replace(/^(#|;|\/\/).*$/, "").split("#")[0]!.replace(/(^|[\s,;])\/\/.*$/, "").replace(/[\s,;]/g, "");
          if (content !== "") assert.ok(seen.has(k + 1), `line ${k + 1} ${JSON.stringify(raw)} was dropped`);
        });
      }),
    );
  });
});
