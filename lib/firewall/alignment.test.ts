import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { PublishedEntry } from "../catalog/types";
import { alignmentLabel, alignmentSeverity, computeAlignment, removalList } from "./alignment";

const P = ["Freshchat"];
const e = (region: string, cidr: string): PublishedEntry => ({ region, cidr, products: P });
const NOW = [e("US", "52.1.37.97/32"), e("US", "52.1.32.88/32"), e("EU", "3.74.148.8/32")];
const RETIRED = [
  { cidr: "52.1.37.96/32", region: "US", lastVersion: 1 },
  { cidr: "3.74.148.9/32", region: "EU", lastVersion: 1 },
];
const input = (text: string, regions = ["US"]) => ({ text, format: "plain", regions, port: 443 });

describe("computeAlignment", () => {
  test("up to date: every published entry allowed, nothing retired", () => {
    const a = computeAlignment(NOW, 2, RETIRED, input("52.1.37.97\n52.1.32.88\n"));
    assert.deepEqual(a, { catalogVersion: 2, state: "up-to-date", additions: [], stale: [], label: "Up to date" });
  });

  test("after a version change: the new entry is an addition, the retired one a stale line", () => {
    const a = computeAlignment(NOW, 2, RETIRED, input("52.1.37.96/32\n52.1.32.88\n10.0.0.1\n"));
    assert.deepEqual(a, {
      catalogVersion: 2,
      state: "needs-additions-has-stale",
      additions: [e("US", "52.1.37.97/32")],
      stale: [{ line: 1, text: "52.1.37.96/32", token: "52.1.37.96/32", retired: ["52.1.37.96/32"] }],
      label: "Needs 1 addition, has 1 entry the vendor no longer publishes",
    });
    assert.equal(
      removalList(a, "edge"),
      "# edge: remove these lines; catalog version 2 no longer publishes what they allow.\n# line 1 (52.1.37.96/32)\n52.1.37.96/32\n",
    );
  });

  test("a line that still reaches a published address is not stale; a deny of a retired address is not stale", () => {
    const a = computeAlignment(NOW, 2, RETIRED, input("52.1.37.96/30\n52.1.32.88\n3.74.148.9\n", ["US", "EU"]));
    assert.deepEqual(
      [a.state, a.additions, a.stale.map((s) => [s.line, s.retired])],
      ["needs-additions-has-stale", [e("EU", "3.74.148.8/32")], [[3, ["3.74.148.9/32"]]]],
    );
    const deny = computeAlignment(NOW, 2, RETIRED, {
      text: "-A INPUT -s 52.1.37.96/32 -j DROP\n-A INPUT -s 52.1.37.97 -p tcp --dport 443 -j ACCEPT\n-A INPUT -s 52.1.32.88 -p tcp --dport 443 -j ACCEPT\n",
      format: "iptables",
      regions: ["US"],
      port: 443,
    });
    assert.deepEqual([deny.state, deny.label], ["up-to-date", "Up to date"]);
  });

  test("labels and severity", () => {
    assert.equal(alignmentLabel(3, 0), "Needs 3 additions");
    assert.equal(alignmentLabel(0, 2), "Has 2 entries the vendor no longer publishes");
    const ranks = [
      { additions: [], stale: [] },
      { additions: [], stale: [1] },
      { additions: [1, 2], stale: [] },
      { additions: [1], stale: [1, 2] },
    ].map((a) => alignmentSeverity(a as never));
    assert.deepEqual(ranks, [0, 1, 200000, 100002]);
  });
});
