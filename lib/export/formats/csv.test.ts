import assert from "node:assert/strict";
import { test } from "node:test";
import { hostileEntries } from "../fixtures";
import { exportOptionsSchema, renderExport } from "../prepare";
import { csvCell } from "./csv";

test("csvCell: RFC 4180 quoting and formula neutralisation", () => {
  assert.deepEqual(
    ["plain", "a,b", 'say "hi"', "two\r\nlines", "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", ""].map(csvCell),
    [
      "plain",
      '"a,b"',
      '"say ""hi"""',
      '"two\r\nlines"',
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      '"\'\rx"',
      "'=x",
      "",
    ],
  );
});

test("csv export of hostile product names: neutralised, quoted, CRLF records, no BOM", () => {
  const options = exportOptionsSchema.parse({
    provider: "Acme",
    catalogLabel: "=cmd|' /C calc'!A0",
    aggregate: "false",
  });
  const r = renderExport("csv", hostileEntries, options);
  assert.equal(r.ok, true);
  const content = r.ok ? (r.files[0]?.content ?? "") : "";
  assert.equal(
    content,
    "cidr,family,regions,products,catalog\r\n" +
      `192.0.2.1/32,IPv4,US,"'=HYPERLINK(""http://evil.example"",""x"")",'=cmd|' /C calc'!A0\r\n` +
      `192.0.2.2/32,IPv4,EU,"'-2+3; quote "" back\\slash 'single'\nnewline; semi # hash",'=cmd|' /C calc'!A0\r\n`,
  );
  assert.equal(content.charCodeAt(0), "c".charCodeAt(0));
});
