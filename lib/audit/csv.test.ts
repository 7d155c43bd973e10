import assert from "node:assert/strict";
import { test } from "node:test";
import { auditCsvRow, csvCell } from "./csv";

test("cells a spreadsheet would run as formulas are quoted as text; commas, quotes and newlines are escaped", () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
  assert.equal(csvCell("+1"), "'+1");
  assert.equal(csvCell("-2+3"), "'-2+3");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvCell("\tx"), "'\tx");
  assert.equal(csvCell("a,b"), '"a,b"');
  assert.equal(csvCell("two\nlines"), '"two\nlines"');
  assert.equal(csvCell("plain"), "plain");
  assert.equal(csvCell(""), "");
});

test("a row has every column in order, ending in CRLF", () => {
  const row = auditCsvRow({
    id: 7,
    at: new Date("2026-11-30T09:00:00.000Z"),
    action: "firewall.edit",
    actor: "user:a@b.c",
    ip: "127.0.0.1",
    target: "firewall:3",
    details: '{"revision":2}',
  });
  assert.equal(row, '7,2026-11-30T09:00:00.000Z,firewall.edit,user:a@b.c,127.0.0.1,firewall:3,"{""revision"":2}"\r\n');
});
