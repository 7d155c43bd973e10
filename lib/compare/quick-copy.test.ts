import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { runDiff } from "../diff/run";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { quickCopy } from "./quick-copy";

const labels = { provider: "Freshworks", catalogLabel: "Freshworks catalog v1" };
const answer = (text: string, regions = ["EU"]) =>
  quickCopy(runDiff({ text, format: "auto", regions, port: 443, catalog: SEED_CATALOG }).rows, 443, labels);

describe("Copy the lines to add: the missing delta in the paste's own format, not aggregated", () => {
  test("plain in → plain out, exactly the missing entries", () => {
    const q = answer("18.184.146.22\n3.71.140.232\n3.74.148.8\n");
    assert.equal(q.kind, "file");
    if (q.kind !== "file") return;
    assert.deepEqual([q.format, q.file.name, q.entries.length], ["plain", "freshworks-eu-missing-plain.txt", 7]);
    assert.equal(
      q.file.content,
      [
        "3.74.148.9/32 # EU Freshchat, Freddy Self-service",
        "3.74.148.10/32 # EU Freshchat, Freddy Self-service",
        "3.74.148.11/32 # EU Freshchat, Freddy Self-service",
        "18.194.170.216/32 # EU Freshchat, Freddy Self-service",
        "18.197.127.133/32 # EU Freshchat, Freddy Self-service",
        "52.29.254.13/32 # EU Freshchat, Freddy Self-service",
        "52.57.253.205/32 # EU Freshchat, Freddy Self-service",
        "",
      ].join("\n"),
    );
  });

  test("iptables, nftables, CSV and Cisco ASA pastes get their own format; the count is the Missing table's", () => {
    const cases: [string, string][] = [
      ["*filter\n:INPUT DROP [0:0]\n-A INPUT -s 3.74.148.8/32 -p tcp --dport 443 -j ACCEPT\nCOMMIT\n", "iptables"],
      [
        "table inet filter {\n chain input {\n  type filter hook input priority 0; policy drop;\n  ip saddr 3.74.148.8 tcp dport 443 accept\n }\n}\n",
        "nftables",
      ],
      ["ip,comment\n3.74.148.8,webhooks\n", "csv"],
      [
        "access-list outside_in extended permit tcp host 3.74.148.8 any eq 443\naccess-group outside_in in interface outside\n",
        "cisco-asa",
      ],
    ];
    for (const [text, format] of cases) {
      const q = answer(text);
      assert.equal(q.kind, "file", format);
      if (q.kind !== "file") continue;
      assert.deepEqual([q.format, q.entries.length], [format, 9], format);
      assert.ok(!q.file.content.includes("3.74.148.8/32"), `${format}: a covered entry is not added`);
      for (const e of q.entries) assert.ok(q.file.content.includes(e.cidr.replace("/32", "")), `${format}: ${e.cidr}`);
    }
  });

  test("nothing missing: nothing to copy", () => {
    assert.deepEqual(
      answer(
        "3.74.148.8/30\n18.184.146.22\n18.197.127.133\n3.71.140.232\n52.29.254.13\n52.57.253.205\n18.194.170.216\n",
      ),
      { kind: "nothing" },
    );
  });
});
