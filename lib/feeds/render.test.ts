import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { PublishedEntry } from "../catalog/types";
import { renderFeed } from "./render";
import { basicAuthToken, hashFeedToken, newFeedToken, tokenMatches } from "./token";
import { feedSnippets } from "./snippets";

const P = ["Freshchat"];
const E: PublishedEntry[] = [
  { region: "US", cidr: "52.1.37.96/32", products: P },
  { region: "US", cidr: "52.1.37.97/32", products: P },
  { region: "EU", cidr: "3.74.148.8/32", products: P },
  { region: "EU", cidr: "2a05:d014::/64", products: P },
];
const META = {
  feedId: 7,
  feedName: "edge feed",
  provider: "Freshworks",
  catalogVersion: 2,
  checksum: "ab".repeat(32),
  importedAt: new Date("2026-11-30T06:00:00Z"),
};

describe("renderFeed", () => {
  test("plain: one CIDR a line, aggregated or not, by family and region", () => {
    const all = { format: "plain", regions: [], family: "both", aggregate: true } as const;
    assert.deepEqual(renderFeed(E, all, META), {
      body: "3.74.148.8/32\n52.1.37.96/31\n2a05:d014::/64\n",
      contentType: "text/plain; charset=utf-8",
      entryCount: 3,
    });
    assert.equal(
      renderFeed(E, { ...all, aggregate: false, regions: ["US"] }, META).body,
      "52.1.37.96/32\n52.1.37.97/32\n",
    );
    assert.equal(renderFeed(E, { ...all, family: "6" }, META).body, "2a05:d014::/64\n");
  });

  test("Check Point Generic Data Center: one object per region with a stable UUID", () => {
    const out = renderFeed(E, { format: "checkpoint", regions: ["US", "EU"], family: "both", aggregate: false }, META);
    const json = JSON.parse(out.body) as {
      version: string;
      description: string;
      objects: { name: string; id: string; description: string; ranges: string[] }[];
    };
    assert.equal(json.version, "1.0");
    assert.equal(json.description, "edge feed: Freshworks catalog version 2");
    assert.deepEqual(
      json.objects.map((o) => [o.name, o.ranges]),
      [
        ["Freshworks US", ["52.1.37.96/32", "52.1.37.97/32"]],
        ["Freshworks EU", ["3.74.148.8/32", "2a05:d014::/64"]],
      ],
    );
    for (const o of json.objects)
      assert.match(o.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(json.objects[0]?.id, json.objects[1]?.id);
    const again = JSON.parse(
      renderFeed(
        E,
        { format: "checkpoint", regions: ["US"], family: "both", aggregate: true },
        { ...META, catalogVersion: 3 },
      ).body,
    ) as typeof json;
    assert.equal(again.objects[0]?.id, json.objects[0]?.id);
  });

  test("JSON with metadata", () => {
    const out = renderFeed(E, { format: "json", regions: ["EU"], family: "4", aggregate: false }, META);
    assert.deepEqual(JSON.parse(out.body), {
      feed: { id: 7, name: "edge feed" },
      provider: "Freshworks",
      catalogVersion: 2,
      checksum: "ab".repeat(32),
      importedAt: "2026-11-30T06:00:00.000Z",
      regions: ["EU"],
      family: "4",
      aggregated: false,
      prefixes: ["3.74.148.8/32"],
      entries: [{ cidr: "3.74.148.8/32", region: "EU", products: P }],
    });
  });
});

describe("feed tokens and snippets", () => {
  test("tokens: random, hashed, compared; Basic auth reads the password", () => {
    const t = newFeedToken();
    assert.match(t, /^fd_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(newFeedToken(), t);
    assert.equal(tokenMatches(t, hashFeedToken(t)), true);
    assert.equal(tokenMatches(`${t}x`, hashFeedToken(t)), false);
    assert.equal(basicAuthToken(`Basic ${Buffer.from(`feed:${t}`).toString("base64")}`), t);
    assert.equal(basicAuthToken(`Basic ${Buffer.from("feed:").toString("base64")}`), undefined);
    assert.equal(basicAuthToken("Bearer x"), undefined);
    assert.equal(basicAuthToken(null), undefined);
  });

  test("snippets carry the URL and token, one per vendor the format suits", () => {
    const urls = { tokenUrl: "https://fw.example/feeds/fd_T", basicUrl: "https://fw.example/feeds/3", token: "fd_T" };
    const plain = feedSnippets("US feed", "plain", urls, 60);
    assert.deepEqual(
      plain.map((s) => s.vendor),
      [
        "PAN-OS (External Dynamic List)",
        "FortiGate (external threat feed)",
        "pfSense / OPNsense (URL table alias)",
        "curl (check it by hand)",
      ],
    );
    assert.equal(
      plain[0]?.text,
      'set external-list US-feed type ip url "https://fw.example/feeds/fd_T"\nset external-list US-feed type ip recurring hourly\nset external-list US-feed type ip description "Allowlist Admin feed"\ncommit',
    );
    assert.equal(
      plain[1]?.text.includes(
        '        set resource "https://fw.example/feeds/3"\n        set username "feed"\n        set password fd_T\n        set refresh-rate 60',
      ),
      true,
    );
    assert.deepEqual(
      feedSnippets("x", "checkpoint", urls, 60).map((s) => s.vendor),
      ["Check Point (Generic Data Center, R81 and later)", "curl (check it by hand)"],
    );
  });
});
