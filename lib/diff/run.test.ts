import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { diffColumns } from "./engines/columnar";
import { diff } from "./engines/objects";
import { ONE_LINE_NOTE, runDiff, type RunDiffRequest } from "./run";
import { scanPlainColumns } from "../parse/columnar";
import { parseText } from "../parse/registry";
import { SEED_CATALOG } from "./seed.fixture";

const base = { format: "auto", regions: ["EU"], port: 443, catalog: SEED_CATALOG } as const;
const run = (text: string, extra: Partial<RunDiffRequest> = {}) => runDiff({ ...base, text, ...extra });

describe("runDiff: the one entry point", () => {
  test("plain lists take the columnar engine, other formats the object engine; both equal the engines called directly", () => {
    const plain = "3.74.148.8/32\n10.0.0.0/8\n";
    const r = run(plain);
    assert.equal(r.engine, "columnar");
    assert.equal(r.detected, true);
    assert.deepEqual(
      r.engine === "columnar" ? r.rows.toDiffResult() : undefined,
      diffColumns(SEED_CATALOG, scanPlainColumns(plain), { regions: ["EU"], port: 443 }).toDiffResult(),
    );
    const forced = run(plain, { engine: "objects" });
    assert.equal(forced.engine, "objects");
    assert.deepEqual(
      forced.engine === "objects" ? forced.result : undefined,
      diff(SEED_CATALOG, parseText(plain, "plain"), { regions: ["EU"], port: 443 }),
    );
    const ipt = "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 3.74.148.8/32 -p tcp --dport 443 -j ACCEPT\nCOMMIT\n";
    const v = run(ipt);
    assert.deepEqual(
      [v.engine, v.format, v.detected, v.lineCount, v.unusable],
      ["objects", "iptables", true, 4, undefined],
    );
    assert.equal(v.rows.summary.covered, 1);
  });

  test("empty and whitespace-only input is unusable, not everything missing", () => {
    assert.deepEqual(run("").unusable, {
      reason: "empty",
      format: "plain",
      detected: true,
      message: "Nothing recognised — is this the right format? The input is empty. Read as Plain list (detected).",
      lines: [],
    });
    assert.deepEqual(run(" \n\t\n\n").unusable, {
      reason: "empty",
      format: "plain",
      detected: true,
      message:
        "Nothing recognised — is this the right format? The input is only whitespace. Read as Plain list (detected).",
      lines: [],
    });
  });

  test("prose: the first unreadable lines with their numbers", () => {
    const u = run("Hello team,\n\nplease allow the Freshworks IPs.\n# a comment\nThanks\n").unusable;
    assert.deepEqual(u, {
      reason: "nothing-recognised",
      format: "plain",
      detected: true,
      message:
        "Nothing recognised — is this the right format? No address or rule was found. Read as Plain list (detected).",
      lines: [
        { line: 1, text: "Hello team,", message: 'Not an address: "Hello" — not an IP address (column 1).' },
        {
          line: 3,
          text: "please allow the Freshworks IPs.",
          message: 'Not an address: "please" — not an IP address (column 1).',
        },
        { line: 5, text: "Thanks", message: 'Not an address: "Thanks" — not an IP address (column 1).' },
      ],
    });
  });

  test("a list whose newlines were stripped (curl -d) is one unreadable line", () => {
    assert.deepEqual(run("3.74.148.8/323.74.148.9/32").unusable?.lines, [
      {
        line: 1,
        text: "3.74.148.8/323.74.148.9/32",
        message: 'Not an address: "3.74.148.8/323.74.148.9/32" — octet is greater than 255 (column 12).',
      },
    ]);
  });

  test("binary input: NUL bytes, shown printable", () => {
    assert.deepEqual(run("PK\u0003\u0004\u0000\u0000abc\nzz").unusable, {
      reason: "binary",
      format: "plain",
      detected: true,
      message:
        "Nothing recognised — is this the right format? The input looks like a binary file, not text. Read as Plain list (detected).",
      lines: [
        { line: 1, text: "PK····abc", message: "Not text." },
        { line: 2, text: "zz", message: "Not text." },
      ],
    });
  });

  test("a chosen format that reads nothing says which format was used", () => {
    const u = run("hello world\nmore prose\n", { format: "iptables" }).unusable;
    assert.equal(
      u?.message,
      "Nothing recognised — is this the right format? No address or rule was found. Read as iptables-save / ip6tables-save.",
    );
    assert.deepEqual(
      u?.lines.map((l) => l.line),
      [1, 2],
    );
  });

  test("usable: a config that allows nothing, hostnames, one good line among prose", () => {
    assert.equal(run("*filter\n:INPUT DROP [0:0]\nCOMMIT\n").unusable, undefined);
    assert.equal(run("hello\n3.74.148.8\n").unusable, undefined);
    assert.equal(run("hooks.freshworks.com\n").unusable, undefined);
    // Over the size limit is its own finding (parseText's), not "unrecognised".
    assert.equal(run("x".repeat(2_000), { maxBytes: 1_000 }).unusable, undefined);
  });
});

describe("findings answer the question asked (TCP 443 from the published NAT IPs)", () => {
  test("a published IP on another port is a wrong-port finding; ICMP and SSH rules get no flags", () => {
    const text = [
      "*filter",
      ":INPUT DROP [0:0]",
      "-A INPUT -s 3.74.148.8/32 -p tcp --dport 443 -j ACCEPT",
      "-A INPUT -p icmp -j ACCEPT",
      "-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT",
      "-A INPUT -s 3.74.148.9/32 -p tcp --dport 8443 -j ACCEPT",
      "-A INPUT -p tcp --dport 22 -j ACCEPT",
      "COMMIT",
      "",
    ].join("\n");
    const r = run(text);
    assert.equal(r.engine, "objects");
    const rows = r.engine === "objects" ? r.result.entries.map((e) => [e.line, e.status, e.flags, e.message]) : [];
    assert.deepEqual(rows, [
      [3, "covers", [], "Allows 3.74.148.8/32 (EU) exactly."],
      [4, "unrelated", [], "Only ICMP: another service, it does not decide TCP 443 for these webhooks."],
      [5, "unrelated", [], "Only TCP 22: another service, it does not decide TCP 443 for these webhooks."],
      [6, "unrelated", ["wrong-port"], "Only TCP 8443 — the checked port 443 is not allowed."],
      [7, "unrelated", [], "Only TCP 22: another service, it does not decide TCP 443 for these webhooks."],
    ]);
  });
});

describe("runDiff: a document on one line", () => {
  test("JSON or XML on one line (nft -j list ruleset) says that every finding names line 1; formatted, it does not", () => {
    const doc = {
      nftables: [
        { table: { family: "inet", name: "filter", handle: 1 } },
        {
          chain: {
            family: "inet",
            table: "filter",
            name: "input",
            handle: 1,
            type: "filter",
            hook: "input",
            prio: 0,
            policy: "drop",
          },
        },
        {
          rule: {
            family: "inet",
            table: "filter",
            chain: "input",
            handle: 2,
            expr: [
              { match: { op: "==", left: { payload: { protocol: "ip", field: "saddr" } }, right: "3.74.148.8" } },
              { match: { op: "==", left: { payload: { protocol: "tcp", field: "dport" } }, right: 443 } },
              { accept: null },
            ],
          },
        },
        {
          rule: {
            family: "inet",
            table: "filter",
            chain: "input",
            handle: 3,
            expr: [
              { match: { op: "==", left: { payload: { protocol: "ip", field: "saddr" } }, right: "3.74.148.8" } },
              { drop: null },
            ],
          },
        },
      ],
    };
    const run = (text: string) => {
      const r = runDiff({ ...base, text, format: "nftables-json" });
      return r.engine === "objects" ? r.result.notes : [];
    };
    assert.deepEqual(run(JSON.stringify(doc)), [ONE_LINE_NOTE]);
    assert.deepEqual(run(JSON.stringify(doc, null, 2)), []);
    assert.equal(
      ONE_LINE_NOTE,
      "The paste is one line, so every entry and finding names line 1. Formatted with one element per line (jq . for JSON, xmllint --format for XML), each names its own.",
    );
  });
});
