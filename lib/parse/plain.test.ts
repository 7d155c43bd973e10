import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatPrefix, formatRange, mustParseAddress, mustParsePrefix, prefixRange } from "../ip/index";
import { plainColumnsToParseOutput, scanPlainColumns } from "./columnar";
import type { Range } from "../ip/types";
import { countLines, parsePlain, parseTerm, scanIPv4Term } from "./plain";
import type { Entry } from "./types";

function r(first: string, last: string = first): Range {
  return { first: mustParseAddress(first), last: mustParseAddress(last) };
}

function entry(
  line: number,
  text: string,
  token: string,
  range: Range,
  kind: Entry["kind"],
  extra: Partial<Entry> = {},
): Entry {
  return {
    line,
    text,
    token,
    range,
    kind,
    ...(extra.prefix ? { prefix: extra.prefix } : {}),
    action: "allow",
    direction: "in",
    ...(extra.comment ? { comment: extra.comment } : {}),
  };
}

describe("parsePlain", () => {
  test("every spelling, separators and comments", () => {
    const text =
      [
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
        entry(2, l2, "52.1.32.88/32", r("52.1.32.88"), "cidr", {
          prefix: mustParsePrefix("52.1.32.88/32"),
          comment: "office",
        }),
        entry(2, l2, "18.208.240.77", r("18.208.240.77"), "address", { comment: "office" }),
        entry(6, l6, "44.206.73.232 - 44.206.73.239", r("44.206.73.232", "44.206.73.239"), "range"),
        entry(6, l6, "13.232.152.*", r("13.232.152.0", "13.232.152.255"), "wildcard"),
        entry(7, l7, "52.66.184.184/255.255.255.255", r("52.66.184.184"), "cidr", {
          prefix: mustParsePrefix("52.66.184.184/32"),
        }),
        entry(7, l7, "2001:db8::1-2001:db8::ff", r("2001:db8::1", "2001:db8::ff"), "range"),
        entry(8, l8, "::ffff:52.1.37.96", r("::ffff:52.1.37.96"), "address", { comment: "v6" }),
        entry(8, l8, "2001:DB8:0:0:0:0:0:1/128", r("2001:db8::1"), "cidr", {
          prefix: mustParsePrefix("2001:db8::1/128"),
          comment: "v6",
        }),
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
      {
        line: 1,
        text: "052.001.037.096",
        kind: "ambiguous",
        message: 'Ambiguous, not guessed: "052.001.037.096" — leading zero is ambiguous (octal?) (column 1).',
      },
      {
        line: 2,
        text: "hooks.freshchat.com",
        kind: "hostname",
        message:
          '"hooks.freshchat.com" is a hostname, not an address (column 1): a firewall matches IP addresses, so list the IPs it stands for.',
      },
      {
        line: 3,
        text: "1.2.3.4 banana 10.1",
        kind: "invalid",
        message: 'Not an address: "banana" — not an IP address (column 9).',
      },
      {
        line: 3,
        text: "1.2.3.4 banana 10.1",
        kind: "ambiguous",
        message:
          'Ambiguous, not guessed: "10.1" — expected 4 octets, found 2 (shorthand like "10.1" is not allowed) (column 20).',
      },
      {
        line: 4,
        text: "1.2.3.4/33",
        kind: "invalid",
        message: 'Not an address: "1.2.3.4/33" — prefix length is greater than 32 (column 9).',
      },
      {
        line: 5,
        text: "10.0.0.0/255.0.255.0",
        kind: "invalid",
        message:
          'Not an address: "10.0.0.0/255.0.255.0" — netmask is not contiguous (ones followed only by zeros) (column 16).',
      },
      {
        line: 6,
        text: "*",
        kind: "ambiguous",
        message:
          "Ambiguous, not guessed: \"*\" — a lone '*' is ambiguous (any IPv4? any IPv6?); write 0.0.0.0/0 (column 1).",
      },
      {
        line: 7,
        text: "13.*",
        kind: "ambiguous",
        message:
          'Ambiguous, not guessed: "13.*" — expected 4 parts, found 2 (a short wildcard is ambiguous) (column 5).',
      },
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

  test("an address and its netmask are one prefix; a mask that could be an address, or a comma, keeps two terms", () => {
    const text = [
      "52.1.37.9 255.255.255.0",
      "52.1.32.88\t 255.255.255.255 # NAT",
      "10.0.0.1 192.0.0.0",
      "3.74.148.8, 255.255.255.0",
      "1.2.3.4 255.255.0.255",
    ].join("\n");
    const out = parsePlain(text);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.kind, formatRange(e.range), e.prefix?.bits, e.comment]),
      [
        [1, "52.1.37.9 255.255.255.0", "cidr", "52.1.37.0/24", 24, undefined],
        [2, "52.1.32.88\t 255.255.255.255", "cidr", "52.1.32.88", 32, "NAT"],
        [3, "10.0.0.1", "address", "10.0.0.1", undefined, undefined],
        [3, "192.0.0.0", "address", "192.0.0.0", undefined, undefined],
        [4, "3.74.148.8", "address", "3.74.148.8", undefined, undefined],
        [4, "255.255.255.0", "address", "255.255.255.0", undefined, undefined],
      ],
    );
    // The written address keeps its host bits, as "52.1.37.9/24" would.
    assert.equal(formatPrefix(out.entries[0]!.prefix!), "52.1.37.9/24");
    assert.deepEqual(out.findings, [
      {
        line: 5,
        text: "1.2.3.4 255.255.0.255",
        kind: "invalid",
        message:
          'Not an address: "1.2.3.4 255.255.0.255" — netmask is not contiguous (ones followed only by zeros) (column 1).',
      },
    ]);
    // The columnar reader (1M-line lists) reads such lines as parsePlain does.
    assert.deepEqual(plainColumnsToParseOutput(scanPlainColumns(text)), out);
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
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom(..."0123456789abcdef.:/-*, ;#\t\nxz") }), { maxLength: 20 }),
        (lines) => {
          const text = lines.join("\n");
          const out = parsePlain(text);
          const seen = new Set([...out.entries.map((e) => e.line), ...out.findings.map((f) => f.line)]);
          text.split("\n").forEach((raw, k) => {
            const t = raw.trim();
            const content = t
              .replace(/^(#|;|\/\/).*$/, "")
              .split("#")[0]!
              .replace(/(^|[\s,;])\/\/.*$/, "")
              .replace(/[\s,;]/g, "");
            if (content !== "") assert.ok(seen.has(k + 1), `line ${k + 1} ${JSON.stringify(raw)} was dropped`);
          });
        },
      ),
    );
  });
});

describe("the IPv4 fast path (scanIPv4Term)", () => {
  test("reads canonical dotted quads with an optional /len, inside the given bounds", () => {
    assert.equal(scanIPv4Term("1.2.3.4", 0, 7), 0x01020304 * 64);
    assert.equal(scanIPv4Term("10.0.0.0/8", 0, 10), 0x0a000000 * 64 + 9);
    assert.equal(scanIPv4Term("0.0.0.0/0", 0, 9), 1);
    assert.equal(scanIPv4Term("255.255.255.255/32", 0, 18), 0xffffffff * 64 + 33);
    assert.equal(scanIPv4Term("x 52.1.37.96 y", 2, 12), 0x34012560 * 64);
  });

  test("leaves everything else to parseTerm", () => {
    const others = [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "01.2.3.4",
      "1.2.3.00",
      "1.2.3.256",
      "1..3.4",
      ".1.2.3",
      "1.2.3.4.",
      "1.2.3.4x",
      "1.2.3.4 ",
      "1.2.3.4/",
      "1.2.3.4/33",
      "1.2.3.4/08",
      "1.2.3.4/1x",
      "1.2.3.4/100",
      "1.2.3.4/255.0.0.0",
      "1.2.3.*",
      "1.2.3.4-1.2.3.5",
      "0x1.2.3.4",
      "1234.1.1.1",
      "::1",
      "1.2.3.4/-1",
    ];
    assert.deepEqual(
      others.map((t) => scanIPv4Term(t, 0, t.length)),
      others.map(() => -1),
    );
  });

  test("property: on canonical input it returns value × 64 + (len + 1)", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.option(fc.integer({ min: 0, max: 32 })), (q, bits) => {
        const text = `${q.join(".")}${bits === null ? "" : `/${bits}`}`;
        const value = ((q[0]! * 256 + q[1]!) * 256 + q[2]!) * 256 + q[3]!;
        assert.equal(scanIPv4Term(text, 0, text.length), value * 64 + (bits === null ? 0 : bits + 1));
      }),
    );
  });

  test("property: a one-token line gives exactly what parseTerm gives (leading zeros, 256, empty octets, garbage)", () => {
    // Mostly valid parts, so that both paths are taken often.
    const octet = fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 255 }).map(String), weight: 12 },
      { arbitrary: fc.constantFrom("256", "300", "999", "1000"), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`), weight: 1 },
      { arbitrary: fc.constantFrom("", "00", "x", "*"), weight: 1 },
    );
    const length = fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 40 }).map(String), weight: 4 },
      { arbitrary: fc.constantFrom("", "08", "00", "255.255.0.0", "1x"), weight: 1 },
    );
    const tail = fc.oneof(
      { arbitrary: fc.constant(""), weight: 6 },
      { arbitrary: fc.constantFrom("x", ".", "/", "a", ":1", "-1.2.3.4", "0", ".5"), weight: 1 },
    );
    const structured = fc
      .tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.option(length), tail)
      .map(([parts, len, tail]) => `${parts.join(".")}${len === null ? "" : `/${len}`}${tail}`);
    const noisy = fc.string({ unit: fc.constantFrom(..."0123456789./x:-*a"), minLength: 1, maxLength: 20 });
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: structured, weight: 3 }, { arbitrary: noisy, weight: 1 }), (token) => {
        fc.pre(token !== "" && !token.startsWith("//"));
        if (scanIPv4Term(token, 0, token.length) >= 0) fast++;
        const term = parseTerm(token);
        // Alone on a line (read whole) and twice on a line (read token by token by scanTerms).
        for (const [text, count] of [
          [token, 1],
          [`${token},${token}`, 2],
        ] as const) {
          const out = parsePlain(text);
          if (term.ok) {
            assert.deepEqual(out.findings, []);
            const expected = entry(1, text, token, term.range, term.kind, term.prefix ? { prefix: term.prefix } : {});
            assert.deepEqual(out.entries, new Array(count).fill(expected));
          } else {
            assert.deepEqual(out.entries, []);
            assert.deepEqual(
              out.findings.map((f) => f.kind),
              new Array(count).fill(term.kind),
            );
          }
        }
      }),
      { numRuns: 2000 },
    );
    assert.ok(fast > 50, `the fast path ran only ${fast} times`);
  });
});
