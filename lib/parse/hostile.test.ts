import { test } from "node:test";
import assert from "node:assert/strict";
import { formatIds, parseText } from "./registry";
import { editSamples } from "./vendors/edit-samples";
import { REFERENCE_SCAN_LIMIT } from "./vendors/iptables";
import { RESEQUENCE_LIMIT } from "./vendors/cisco-ios";

// One 10 MB line of address-like, tag-like, brace and quote tokens, and 5,000 short rows, read as every format: no
// throw, every line counted. The timeout is a hang guard, not a speed figure: all of it takes about 12 s on a fast
// machine and 25-40 s on a slow 2-core one (over a minute there while other suites run), so 150 s leaves room. The
// PAN-OS XML reader once took 100 s on the long line on the fast machine (its line count was searched again from
// each tag): that is still caught.
const LONG = '10.0.0.1 <a> {x} "q" '.repeat(500_000);
const ROWS = Array.from({ length: 5000 }, (_, i) => `allow 10.${i >> 8}.${i & 255}.1 "x" <y>`).join("\n");

test("every format reads a 10 MB line and 5,000 rows without throwing", { timeout: 150_000 }, async () => {
  const counted: string[] = [];
  for (const format of formatIds) {
    const long = parseText(LONG, format, { maxBytes: Number.POSITIVE_INFINITY });
    const rows = parseText(ROWS, format, { maxBytes: Number.POSITIVE_INFINITY });
    counted.push(`${format} ${long.lineCount} ${rows.lineCount}`);
    // A parse cannot be interrupted: the timeout is checked here, between formats.
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(
    counted,
    formatIds.map((f) => `${f} 1 5000`),
  );
});

// Deep nesting of every bracket a format uses, 20,000 levels (an 80-200 kB paste), read as every format: a reader
// may refuse the depth (with a finding on a line) but must not fail or overflow. Before the depth limits, nginx,
// Apache and the Terraform-style readers overflowed their recursions (the "reader failed" finding, every entry
// lost) and the Junos hierarchy reader ran out of memory.
const N = 20_000;
const NESTED: Record<string, string> = {
  braces: `${"a {\n".repeat(N)}allow 10.0.0.1;\n${"}\n".repeat(N)}`,
  tags: `${"<a>".repeat(N)}<ip-netmask>10.0.0.1</ip-netmask>${"</a>".repeat(N)}`,
  brackets: `${"[".repeat(N)}"10.0.0.1"${"]".repeat(N)}`,
  objects: `${'{"a":'.repeat(N)}"10.0.0.1"${"}".repeat(N)}`,
  parens: `${"(".repeat(N)}10.0.0.1${")".repeat(N)}`,
  indentation: `${Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i)}a:`).join("\n")}\n${" ".repeat(5000)}- 10.0.0.1\n`,
  blocks: `${"server {\n location / {\n".repeat(N / 2)}allow 10.0.0.1;\n${"}\n".repeat(N)}`,
  conditionals: `${"if true; then\n".repeat(N)}echo 10.0.0.1\n${"fi\n".repeat(N)}`,
};

test(
  "every format reads 20,000 nested brackets, tags, blocks or conditionals without failing",
  { timeout: 240_000 },
  async () => {
    const failed: string[] = [];
    for (const [shape, text] of Object.entries(NESTED)) {
      for (const format of formatIds) {
        const out = parseText(text, format, { maxBytes: Number.POSITIVE_INFINITY });
        for (const f of out.findings)
          if (f.message.includes("please report")) failed.push(`${format} ${shape}: ${f.message}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    assert.deepEqual(failed, []);
  },
);

// 30,000 edits of each shape that once made a reader search or splice per command (deletions of what was added,
// inserts at a position, moves, redefinitions; lib/parse/vendors/edit-samples.ts): read to the exact result. The
// timeout is a hang guard, not a speed figure (`npm run bench:linear -- edits` measures the growth): read linearly all
// take a few seconds; the searches took 85 s for the ASA's and 100 s for ipset's alone.
test("30,000 deletions, inserts, moves or redefinitions read to the exact result", { timeout: 180_000 }, async () => {
  const n = 30_000;
  const got: [string, number, number, number][] = [];
  for (const [shape, sample] of Object.entries(editSamples)) {
    const out = parseText(`${sample.lines(n).join("\n")}\n`, sample.format, { maxBytes: Number.POSITIVE_INFINITY });
    got.push([shape, out.lineCount, out.entries.length, out.findings.length]);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(got, [
    ["panos: address set again", 2 * n, n, 0],
    // Every ACE deleted: the ACL is gone, and the access-group names an ACL not defined.
    ["cisco-asa: no access-list", 2 * n + 1, 0, 1],
    ["cisco-asa: access-list line 1", n + 1, n, 0],
    // Every binding removed: the ACL is read unbound (its permit, IPv4 and IPv6 any).
    ["cisco-asa: no access-group", 5 * n + 1, 2, 0],
    ["cisco-ios: no ip access-group", 4 * n + 2, 1, 0],
    ["iptables: -D CHAIN rule", 2 * n + 3, 0, 0],
    ["iptables: -I CHAIN 2", n + 4, n + 1, 0],
    ["ipset: del", 2 * n + 1, 0, 0],
    // Policies without an action are reported, not read; each insert is a note.
    ["junos: insert … before", 2 * n, 0, 2 * n],
    ["fortigate: move", 4 * n + 2, n, 0],
    ["nftables: insert rule … index 1", n + 7, n + 2, 0],
    // Each rename past REFERENCE_SCAN_LIMIT rules looked at is a finding (the jumps are not followed).
    ["iptables: -E CHAIN back and forth", 2 * n + 2, n, n - Math.floor(REFERENCE_SCAN_LIMIT / (n + 1))],
    ["ufw: delete RULE, delete 1, insert 2", 3 * n + 2, n + 2, 0],
    // Every delete takes an IPv4 rule: all the IPv6 halves stay.
    ["ufw: insert 2 of rules for both families", 2 * n + 2, n + 4, 0],
    // Half the members unselected: their address objects are used by nothing.
    ["fortigate: append and unselect member", 4.5 * n + 12, n / 2, n / 2],
    ["panos: move … top", 2 * n, n, 0],
    ["firewalld: --remove-source", 2 * n, 0, 0],
    // An ACL bound nowhere (its entries read); each resequence past RESEQUENCE_LIMIT renumbered entries is a finding.
    ["cisco-ios: ip access-list resequence", 2 * n + 1, n, n - Math.floor(RESEQUENCE_LIMIT / n)],
    // Address lists no rule uses give no entries; the first removal finds nothing yet (a note).
    ["mikrotik: remove [find address=…]", 2 * n + 1, 0, 0],
    ["mikrotik: remove [find list=…] and add again", 2 * n + 1, 0, 1],
    ["windows: netsh delete rule name=", 2 * n, 0, 0],
    // Each delete is a note ("no rule matches") until the comparisons reach NETSH_SCAN_LIMIT, then a refusal.
    ["windows: netsh delete rule name=all, matching none", 2 * n, n, n],
    ["firewalld: --remove-port", 2 * n, 0, 0],
    ["firewalld: --remove-rich-rule", 2 * n, 0, 0],
    // Each removal of the absent service is a note; each rule allows its source over IPv4.
    ["firewalld: --remove-service, absent", 2 * n, n, n],
  ]);
});
