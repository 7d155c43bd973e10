/**
 * What our own exporters write must read back cleanly by detection alone: every golden file of a format lib/parse
 * reads is detected as that format, and none of its lines gets a finding (not understood, invalid, undefined …).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseText } from "../registry";
import type { FormatId } from "../types";

const GOLDEN = fileURLToPath(new URL("../../export/golden/", import.meta.url));

/** Export format → the parser that must detect it, and which of its golden files hold the configuration. */
const READ_BACK: readonly { exporter: string; format: FormatId; files: (name: string) => boolean }[] = [
  { exporter: "plain", format: "plain", files: configFile },
  { exporter: "csv", format: "csv", files: configFile },
  // iptables, ip6tables and nftables exports are idempotent shell scripts (-C checks, guarded inserts, one nft
  // transaction in a heredoc), not files the parsers read: lib/export/formats/linux-roundtrip.test.ts runs them in a
  // namespace and parses the device's own iptables-save / nft list ruleset instead.
  { exporter: "ipset", format: "ipset", files: configFile },
  { exporter: "nginx", format: "nginx", files: configFile },
  { exporter: "apache", format: "apache", files: configFile },
  { exporter: "haproxy", format: "haproxy", files: configFile },
  { exporter: "cisco-asa", format: "cisco-asa", files: configFile },
  { exporter: "cisco-ios", format: "cisco-ios", files: configFile },
  // A delta's `insert … before policy P` names a policy of the compared config, not of the file: it is read back
  // pasted after that config (lib/export/formats/junos-delta.test.ts).
  { exporter: "junos-srx", format: "junos", files: (name) => configFile(name) && !name.startsWith("missing-insert-") },
  { exporter: "panos", format: "panos", files: configFile },
  { exporter: "fortigate", format: "fortigate", files: configFile },
  { exporter: "aws-sg", format: "aws-sg", files: configFile },
  { exporter: "aws-prefix-list", format: "aws-prefix-list", files: configFile },
  // The Azure and GCP exports are CLI scripts with a JSON twin in the listing format the parsers read.
  { exporter: "azure-nsg", format: "azure-nsg", files: (name) => name.endsWith(".json") },
  { exporter: "gcp", format: "gcp", files: (name) => name.endsWith(".json") },
];

/** Golden files other than the exporter's refusals and warnings. */
function configFile(name: string): boolean {
  return !name.endsWith(".error.txt") && !name.endsWith(".warnings.txt");
}

describe("exported goldens read back by detection alone", () => {
  for (const { exporter, format, files } of READ_BACK) {
    const names = readdirSync(GOLDEN + exporter)
      .filter(files)
      .sort();
    test(`${exporter} has golden configurations`, () => assert.ok(names.length >= 4, `${names.length} files`));
    for (const name of names) {
      test(`${exporter}/${name} → ${format}, no findings`, () => {
        const out = parseText(readFileSync(`${GOLDEN}${exporter}/${name}`, "utf8"));
        assert.equal(out.format, format);
        assert.equal(out.detected, true);
        assert.deepEqual(
          out.findings.filter((f) => f.kind !== "note").map((f) => `${f.line}: ${f.kind} ${f.text}`),
          [],
        );
        assert.ok(
          out.entries.some((e) => e.action === "allow" && e.kind !== "any"),
          "no allowed address read",
        );
      });
    }
  }
});
