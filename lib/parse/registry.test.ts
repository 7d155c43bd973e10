import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_INPUT_BYTES, detectFormat, formatIds, formatLabel, isFormatId, parseText } from "./registry";
import { sampleGenerators } from "./vendors/samples";

describe("registry", () => {
  test("detection picks CSV for a CSV with an address header and plain otherwise", () => {
    assert.equal(detectFormat("name,ip\nx,1.2.3.4\n").format, "csv");
    assert.equal(detectFormat("1.2.3.4\n").format, "plain");
    assert.equal(detectFormat("").format, "plain");
    assert.deepEqual(detectFormat("name,ip\nx,1.2.3.4\n").candidates.slice(0, 2), [
      { format: "csv", confidence: 0.9 },
      { format: "plain", confidence: 0.1 },
    ]);
  });

  test("the caller's format wins over detection", () => {
    const text = "name,ip\nx,1.2.3.4\n";
    const auto = parseText(text);
    assert.equal(auto.format, "csv");
    assert.equal(auto.detected, true);
    assert.equal(auto.entries.length, 1);
    const forced = parseText(text, "plain");
    assert.equal(forced.format, "plain");
    assert.equal(forced.detected, false);
    assert.deepEqual(
      forced.entries.map((e) => e.token),
      ["1.2.3.4"],
    );
    assert.deepEqual(
      forced.findings.map((f) => [f.line, f.kind]),
      [
        [1, "invalid"],
        [1, "invalid"],
        [2, "invalid"],
      ],
    );
  });

  test("input over the limit is refused with a finding", () => {
    const out = parseText("1.2.3.4\n".repeat(10), "auto", { maxBytes: 40 });
    assert.deepEqual(out, {
      format: "plain",
      entries: [],
      findings: [
        {
          line: 0,
          text: "",
          kind: "invalid",
          message: "The input is 0.0 MB, over the 0 MB limit: split it or use the command line.",
        },
      ],
      lineCount: 0,
      notes: [],
      detected: true,
    });
    assert.equal(MAX_INPUT_BYTES, 20 * 1024 * 1024);
  });

  test("format ids and labels", () => {
    assert.equal(formatIds.length, 30);
    assert.equal(isFormatId("csv"), true);
    assert.equal(isFormatId("toString"), false);
    assert.equal(formatLabel("plain"), "Plain list");
    assert.equal(formatLabel("csv"), "CSV");
  });
});

describe("registry: how a file was saved does not change what is read", () => {
  // Every format's sample, saved with Windows line ends, a byte order mark (Notepad), no final newline, or blanks at
  // line ends, reads to the same entries, findings, line count and path. A leading BOM made the firewalld, RouterOS
  // and Check Point readers drop the first command (and every entry that depended on it).
  const variants: Record<string, (t: string) => string> = {
    crlf: (t) => t.replace(/\n/g, "\r\n"),
    bom: (t) => `\ufeff${t}`,
    "no final newline": (t) => t.replace(/\n$/, ""),
    "trailing blanks": (t) => t.replace(/\n/g, " \t\n"),
  };
  const read = (text: string, format: (typeof formatIds)[number]) => {
    const o = parseText(text, format);
    return {
      entries: o.entries.map((e) => [e.line, e.token, e.action, e.protocol, e.ports, e.unmet, e.context, e.via]),
      findings: o.findings.map((f) => [f.line, f.kind, f.message]),
      lineCount: o.lineCount,
      contexts: o.path?.contexts.map((c) => [c.name, c.line, c.onPath, c.fallthrough]),
      detected: detectFormat(text).format,
    };
  };
  for (const format of formatIds) {
    test(format, () => {
      const text = sampleGenerators[format]!(60, 1);
      const base = read(text, format);
      assert.ok(base.entries.length > 0);
      for (const [name, variant] of Object.entries(variants))
        assert.deepEqual(read(variant(text), format), base, `${format}: ${name}`);
    });
  }
});
