import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { diff } from "../../diff/engines/objects";
import { mustParsePrefix } from "../../ip/prefix";
import { IPSet, IPSetBuilder } from "../../ip/set";
import { parseText } from "../../parse/registry";
import type { Entry, FormatId } from "../../parse/types";
import { assertSucceeded, inNamespace, requireTools, workDir } from "../checkers";
import { exportCases } from "../fixtures";
import { exportOptionsSchema, prepareExport, renderExport } from "../prepare";
import type { ExportFormatId, ExportOptions } from "../types";

/** Our formats that lib/parse reads, with the parser id and how the file is placed before parsing. */
const readable: readonly { id: ExportFormatId; parser: FormatId; wrap?: (text: string) => string }[] = [
  { id: "plain", parser: "plain" },
  { id: "csv", parser: "csv" },
  { id: "ipset", parser: "ipset" },
  { id: "nginx", parser: "nginx" },
  { id: "apache", parser: "apache" },
  // The lines belong in a frontend section, as the checker test places them.
  { id: "haproxy", parser: "haproxy", wrap: (text) => `frontend webhooks\n    bind :8443\n${text}` },
];

/**
 * What the export's own rules let in, by first match: keyword entries ("any": chain policies, `deny all`,
 * HAProxy's pass-through) are where the export sits in the user's configuration, not part of the list.
 */
function allowedByRules(entries: readonly Entry[]): IPSet {
  const allowed = new IPSetBuilder();
  const decided = new IPSetBuilder();
  for (const e of entries) {
    if (e.kind === "any" || e.direction === "out") continue;
    if (e.action === "allow") allowed.addSet(IPSet.of(e.range).difference(decided.build()));
    decided.add(e.range);
  }
  return allowed.build();
}

describe("round trip: export → lib/parse → the same set", () => {
  for (const { id, parser, wrap } of readable) {
    for (const c of exportCases) {
      const options: ExportOptions = exportOptionsSchema.parse(c.input);
      const regions = c.regions ? { regions: c.regions } : {};
      const result = renderExport(id, c.entries, options, regions);
      if (!result.ok) continue;
      test(`${id} ${c.name}`, () => {
        const text = result.files[0]?.content ?? "";
        const out = parseText(wrap ? wrap(text) : text, parser);
        const dest = options.destination?.address.family;
        const families = id === "iptables" ? [4] : id === "ip6tables" ? [6] : [4, 6];
        const items = prepareExport(c.entries, options, regions).filter(
          (i) => families.includes(i.prefix.address.family) && (dest === undefined || dest === i.prefix.address.family),
        );
        const expected = IPSet.of(...items.map((i) => i.prefix));
        const got = allowedByRules(out.entries);
        assert.equal(
          got.equals(expected),
          true,
          `allowed ${got.toPrefixes().length} prefixes, exported ${items.length}`,
        );
        assert.deepEqual(
          out.findings.filter((f) => f.kind === "invalid"),
          [],
        );
      });
    }
  }
});

/**
 * The shell-script formats cannot be parsed as files: they are run in a throwaway namespace (the nftables one on
 * top of an admin's default-drop inet filter input chain) and the device's own dump is parsed instead.
 */
const applied: readonly {
  id: ExportFormatId;
  parser: FormatId;
  tools: readonly string[];
  base: string;
  dump: string;
}[] = [
  {
    id: "iptables",
    parser: "iptables",
    tools: ["iptables", "iptables-save"],
    base: "true",
    dump: "iptables-save -t filter",
  },
  {
    id: "ip6tables",
    parser: "iptables",
    tools: ["ip6tables", "ip6tables-save"],
    base: "true",
    dump: "ip6tables-save -t filter",
  },
  {
    id: "nftables",
    parser: "nftables",
    tools: ["nft"],
    base: "nft add table inet filter && nft add chain inet filter input '{ type filter hook input priority filter; policy drop; }'",
    dump: "nft list ruleset",
  },
];

describe("round trip: export → applied in a namespace → the device's dump → lib/parse → the same set", () => {
  for (const { id, parser, tools, base, dump } of applied) {
    for (const c of exportCases) {
      const options: ExportOptions = exportOptionsSchema.parse(c.input);
      const regions = c.regions ? { regions: c.regions } : {};
      const result = renderExport(id, c.entries, options, regions);
      if (!result.ok) continue;
      test(`${id} ${c.name}`, (t) => {
        if (!requireTools(t, tools)) return;
        const dir = workDir(t, { "allow.sh": result.files[0]?.content ?? "" });
        const run = inNamespace(`${base} && sh '${join(dir, "allow.sh")}' && ${dump}`);
        assertSucceeded(run, `${id} applied`);
        const out = parseText(run.stdout, parser);
        const dest = options.destination?.address.family;
        const families = id === "iptables" ? [4] : id === "ip6tables" ? [6] : [4, 6];
        const items = prepareExport(c.entries, options, regions).filter(
          (i) => families.includes(i.prefix.address.family) && (dest === undefined || dest === i.prefix.address.family),
        );
        assert.deepEqual(
          out.findings.filter((f) => f.kind === "invalid"),
          [],
        );
        if (options.deployment === "dedicated") {
          // The port is opened for everyone in the admin's chain and narrowed by a drop elsewhere: only the diff
          // engine's path evaluation can judge that; every exported published entry must be covered.
          const exported = IPSet.of(...items.map((i) => i.prefix));
          const published = c.entries.filter((e) => exported.contains(mustParsePrefix(e.cidr).address));
          const verdict = diff(published, out, {
            ...(c.regions ? { regions: c.regions } : {}),
            port: options.ports[0]?.from ?? 443,
            protocol: options.protocol,
          });
          assert.deepEqual(
            verdict.published.filter((p) => p.status !== "covered").map((p) => p.entry.cidr),
            [],
          );
          assert.ok(published.length > 0);
          return;
        }
        const expected = IPSet.of(...items.map((i) => i.prefix));
        const got = allowedByRules(out.entries);
        assert.equal(
          got.equals(expected),
          true,
          `allowed ${got.toPrefixes().map(String).length} prefixes, exported ${items.length}`,
        );
        const ruled = out.entries.filter((e) => e.kind !== "any" && e.action === "allow");
        assert.deepEqual(
          new Set(ruled.map((e) => JSON.stringify({ p: e.protocol, ports: e.ports }))),
          new Set([JSON.stringify({ p: options.protocol, ports: options.ports })]),
        );
      });
    }
  }
});
