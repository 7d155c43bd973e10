import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildCatalog } from "../catalog/catalog";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { representativePorts } from "../diff/missing";
import { parseText } from "../parse/registry";
import { planExportRequest } from "./export-plan";

const catalog = {
  providerName: "Freshworks",
  version: 1,
  checksum: "4ce552359fe97bd7".padEnd(64, "0"),
  regionCodes: ["US", "EU", "IN", "AU"],
  catalog: buildCatalog(SEED_CATALOG),
};

// 52.1.37.96 is allowed on 443 only, 52.1.32.88 on 80 and 443, the rest of US on nothing.
const config = `*filter
:INPUT DROP [0:0]
-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT
-A INPUT -s 52.1.32.88/32 -p tcp -m multiport --dports 80,443 -j ACCEPT
COMMIT
`;

function missing(ports: string): readonly string[] {
  const plan = planExportRequest(catalog, {
    format: "plain",
    regions: "us",
    options: { ports, comments: false, aggregate: false },
    missingFrom: { text: config, format: "iptables" },
  });
  assert.equal(plan.ok, true);
  return plan.ok ? plan.entries.map((e) => e.cidr) : [];
}

describe("the missing delta of a multi-port export", () => {
  test("an entry allowed on the first port but not on another is missing (bug: only the first port was checked)", () => {
    const others = SEED_CATALOG.filter(
      (e) => e.region === "US" && !["52.1.37.96/32", "52.1.32.88/32"].includes(e.cidr),
    ).map((e) => e.cidr);
    assert.deepEqual(missing("443"), others);
    assert.deepEqual(missing("443,8443"), ["52.1.37.96/32", "52.1.32.88/32", ...others]);
    assert.deepEqual(missing("80,443"), ["52.1.37.96/32", ...others]);
    assert.deepEqual(missing("80-443"), ["52.1.37.96/32", "52.1.32.88/32", ...others]);
  });

  test("the entry count and the files agree with the delta", () => {
    const plan = planExportRequest(catalog, {
      format: "plain",
      regions: "us",
      options: { ports: "443,8443", comments: false, aggregate: false },
      missingFrom: { text: config, format: "iptables" },
    });
    assert.equal(plan.ok && plan.entryCount, 14);
    assert.equal(plan.ok && plan.files[0]?.content.split("\n").filter((l) => l !== "").length, 14);
  });

  test("the ports checked: each range's start and every rule port boundary inside the ranges", () => {
    const parsed = parseText(config, "iptables");
    assert.deepEqual(representativePorts([{ from: 443, to: 443 }], parsed), [443]);
    assert.deepEqual(representativePorts([{ from: 1, to: 1000 }], parsed), [1, 80, 81, 443, 444]);
    assert.deepEqual(
      representativePorts(
        [
          { from: 80, to: 80 },
          { from: 8443, to: 8443 },
        ],
        parsed,
      ),
      [80, 8443],
    );
  });
});
