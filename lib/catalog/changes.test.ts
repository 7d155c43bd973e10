import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { catalogChanges } from "./changes";
import { specialRangeOf } from "./special-ranges";
import type { PublishedEntry } from "./types";

const P = ["Freshchat", "Freddy Self-service"];
const e = (region: string, cidr: string): PublishedEntry => ({ region, cidr, products: P });

describe("catalogChanges", () => {
  test("added, removed and unchanged per region, in the given region order", () => {
    const before = [e("US", "1.1.1.1/32"), e("US", "1.1.1.2/32"), e("EU", "2.2.2.2/32")];
    const after = [e("EU", "2.2.2.2/32"), e("US", "1.1.1.2/32"), e("US", "1.1.1.3/32"), e("AU", "3.3.3.3/32")];
    assert.deepEqual(catalogChanges(before, after, ["US", "EU", "IN", "AU"]), {
      regions: [
        { region: "US", added: ["1.1.1.3/32"], removed: ["1.1.1.1/32"], unchanged: 1, before: 2, after: 2 },
        { region: "EU", added: [], removed: [], unchanged: 1, before: 1, after: 1 },
        { region: "IN", added: [], removed: [], unchanged: 0, before: 0, after: 0 },
        { region: "AU", added: ["3.3.3.3/32"], removed: [], unchanged: 0, before: 0, after: 1 },
      ],
      added: 2,
      removed: 1,
      unchanged: 2,
      identical: false,
      warnings: [],
    });
  });

  test("the same entries in another order are identical; a product change alone is not", () => {
    const a = [e("US", "1.1.1.1/32"), e("EU", "2.2.2.2/32")];
    assert.equal(catalogChanges(a, [...a].reverse()).identical, true);
    const products = catalogChanges(a, [{ ...e("US", "1.1.1.1/32"), products: ["Freshchat"] }, e("EU", "2.2.2.2/32")]);
    assert.deepEqual([products.identical, products.added, products.removed], [false, 0, 0]);
  });

  test("warnings: a region emptied, more than half replaced (exactly half is not), private and reserved ranges", () => {
    const before = [
      e("US", "1.1.1.1/32"),
      e("US", "1.1.1.2/32"),
      e("EU", "2.2.2.1/32"),
      e("EU", "2.2.2.2/32"),
      e("EU", "2.2.2.3/32"),
      e("IN", "4.4.4.4/32"),
      e("IN", "4.4.4.5/32"),
    ];
    const after = [
      e("EU", "2.2.2.1/32"),
      e("EU", "9.9.9.1/32"),
      e("EU", "9.9.9.2/32"),
      e("IN", "4.4.4.4/32"),
      e("IN", "10.1.2.3/32"),
      e("AU", "fd00::/64"),
      e("AU", "192.0.2.0/25"),
      e("AU", "8.8.8.0/24"),
    ];
    assert.deepEqual(catalogChanges(before, after, ["US", "EU", "IN", "AU"]).warnings, [
      { kind: "region-emptied", region: "US", message: "Region US would lose all 2 of its entries." },
      {
        kind: "mostly-replaced",
        region: "EU",
        message: "Region EU: 2 of its 3 entries would be replaced (more than half).",
      },
      {
        kind: "special-range",
        region: "IN",
        cidr: "10.1.2.3/32",
        message: "10.1.2.3/32 (IN) is in 10.0.0.0/8, private (RFC 1918): not a public address.",
      },
      {
        kind: "special-range",
        region: "AU",
        cidr: "fd00::/64",
        message: "fd00::/64 (AU) is in fc00::/7, unique local (RFC 4193): not a public address.",
      },
      {
        kind: "special-range",
        region: "AU",
        cidr: "192.0.2.0/25",
        message: "192.0.2.0/25 (AU) is in 192.0.2.0/24, documentation (RFC 5737): not a public address.",
      },
    ]);
  });

  test("specialRangeOf: overlap either way, public prefixes and non-prefixes are undefined", () => {
    assert.deepEqual(specialRangeOf("0.0.0.0/0"), { cidr: "0.0.0.0/8", name: "“this network” (RFC 791)" });
    assert.deepEqual(specialRangeOf("172.31.255.255/32"), { cidr: "172.16.0.0/12", name: "private (RFC 1918)" });
    assert.equal(specialRangeOf("172.32.0.0/32"), undefined);
    assert.equal(specialRangeOf("52.1.37.96/32"), undefined);
    assert.equal(specialRangeOf("2a05:d014::/64"), undefined);
    assert.equal(specialRangeOf("nonsense"), undefined);
  });
});
