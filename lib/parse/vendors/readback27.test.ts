/**
 * Proof that every one of the 27 export formats reads back: each export case (lib/export/fixtures.ts, the same
 * renders as the golden files in lib/export/golden/) is parsed by detection alone; the detected format is the
 * expected one, no line gets a finding, and the set the parsed rules allow on the exported protocol and first port
 * equals the exported set exactly, while port 22 and the other protocol stay closed.
 * "Allow" is read with the path model: first match inside each on-path context, unmet and egress rules skipped. Additive
 * exports sit inside the admin's own policy, so the contexts' fall-through and keyword entries ("any": chain policies,
 * `deny all`) are where the export sits, not part of the list, and are left out (as in lib/export's round trip).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { IPSet } from "../../ip/set";
import { formatPrefix, mustParsePrefix } from "../../ip/prefix";
import { exportCases, ipv6Entries, seedUsEu } from "../../export/fixtures";
import { exportFormatIds, exporters } from "../../export/registry";
import { exportOptionsSchema, prepareExport, renderExport } from "../../export/prepare";
import type { ExportFile, ExportFormatId, ExportOptions } from "../../export/types";
import type { PublishedEntry } from "../../catalog/types";
import { contextIndex, contextsOf, portMatches, protocolMatches } from "../../diff/kernel/context";
import { parseText } from "../registry";
import type { FormatId, ParseOutput } from "../types";

/** Export format → the reader that must detect it, or null while none does (listed so the gap is exact). */
export const READ_BACK: Readonly<Record<ExportFormatId, FormatId | null>> = {
  plain: "plain",
  csv: "csv",
  json: "allowlist-json",
  iptables: "iptables",
  ip6tables: "iptables",
  nftables: "nftables",
  ipset: "ipset",
  ufw: "ufw",
  firewalld: "firewalld",
  nginx: "nginx",
  apache: "apache",
  haproxy: "haproxy",
  "cisco-asa": "cisco-asa",
  "cisco-ios": "cisco-ios",
  "junos-srx": "junos",
  panos: "panos",
  fortigate: "fortigate",
  checkpoint: "checkpoint",
  "aws-sg": "aws-sg",
  "aws-prefix-list": "aws-prefix-list",
  "terraform-aws": "terraform",
  "azure-nsg": "azure-nsg",
  gcp: "gcp",
  cloudflare: "cloudflare",
  windows: "windows",
  mikrotik: "mikrotik",
  k8s: "k8s",
};

/** Which files of a render the reader gets: the Azure and GCP scripts have a JSON twin in the listing format. */
function readable(id: ExportFormatId, files: readonly ExportFile[]): readonly ExportFile[] {
  return id === "azure-nsg" || id === "gcp" ? files.filter((f) => f.name.endsWith(".json")) : files;
}

/** What the parse lets in on protocol/port: per on-path context first match; every context holding rules must allow. */
export function allowedOn(out: ParseOutput, protocol: string, port: number | undefined): IPSet {
  const contexts = contextsOf(out);
  const allowed: IPSet[] = contexts.map(() => IPSet.empty());
  const decided: IPSet[] = contexts.map(() => IPSet.empty());
  const used = new Set<number>();
  for (const e of out.entries) {
    const c = contextIndex(e, contexts.length);
    if (!contexts[c]!.onPath || e.unmet !== undefined || e.direction === "out" || e.kind === "any") continue;
    if (!protocolMatches(e, protocol) || (port !== undefined && !portMatches(e.ports, port))) continue;
    used.add(c);
    const fresh = IPSet.of(e.range).difference(decided[c]!);
    if (e.action === "allow") allowed[c] = allowed[c]!.union(fresh);
    decided[c] = decided[c]!.union(fresh);
  }
  let result: IPSet | undefined;
  for (const c of used) result = result ? result.intersection(allowed[c]!) : allowed[c]!;
  return result ?? IPSet.empty();
}

/** What the parse drops on protocol/port, first match per on-path context (deny rules only). */
function deniedOn(out: ParseOutput, protocol: string, port: number | undefined): IPSet {
  const contexts = contextsOf(out);
  let denied = IPSet.empty();
  for (const e of out.entries) {
    const c = contextIndex(e, contexts.length);
    if (!contexts[c]!.onPath || e.unmet !== undefined || e.direction === "out" || e.action !== "deny") continue;
    if (!protocolMatches(e, protocol) || (port !== undefined && !portMatches(e.ports, port))) continue;
    denied = denied.union(IPSet.of(e.range));
  }
  return denied;
}

const prefixes = (s: IPSet) => s.toPrefixes().map(formatPrefix);

/** Formats whose lines carry no port or protocol (lists, web-server ACLs, IP Access rules): they allow every port. */
const PORTLESS: ReadonlySet<ExportFormatId> = new Set([
  "plain",
  "csv",
  "json",
  "ipset",
  "nginx",
  "apache",
  "haproxy",
  "cloudflare",
  "aws-prefix-list",
]);

describe("27 export formats read back", () => {
  test("the table lists every export format, and every one has a reader", () => {
    assert.deepEqual(Object.keys(READ_BACK).sort(), [...exportFormatIds].sort());
    assert.equal(exportFormatIds.length, 27);
    assert.deepEqual(
      Object.entries(READ_BACK).filter(([, reader]) => reader === null),
      [],
    );
  });

  for (const id of exportFormatIds) {
    const reader = READ_BACK[id];
    for (const c of exportCases) {
      const opts: ExportOptions = exportOptionsSchema.parse(c.input);
      const scope = c.regions ? { regions: c.regions } : {};
      const result = renderExport(id, c.entries, opts, scope);
      if (!result.ok) continue; // refusals are pinned by the goldens
      test(`${id} ${c.name} → ${reader ?? "not read yet"}`, () => {
        const files = readable(id, result.files);
        assert.ok(files.length > 0);
        const outs = files.map((f) => parseText(f.content));
        if (reader === null) {
          // Not read yet: detection falls back to another format and nothing is allowed on the exported port.
          assert.ok(outs.every((o) => allowedOn(o, opts.protocol, opts.ports[0]?.from).isEmpty()));
          return;
        }
        for (const [k, o] of outs.entries()) {
          assert.equal(o.format, reader, files[k]!.name);
          assert.deepEqual(
            o.findings.filter((f) => f.kind !== "note").map((f) => `${f.line}: ${f.kind} ${f.message}`),
            [],
            files[k]!.name,
          );
        }
        const exporter = exporters[id];
        const dest = exporter.supports.destination ? opts.destination?.address.family : undefined;
        const exportedOf = (entries: readonly PublishedEntry[], o: ExportOptions) =>
          IPSet.of(
            ...prepareExport(entries, o, scope)
              .filter(
                (i) =>
                  (exporter.supports.families as readonly number[]).includes(i.prefix.address.family) &&
                  (dest === undefined || i.prefix.address.family === dest),
              )
              .map((i) => i.prefix),
          );
        let exported = exportedOf(c.entries, opts);
        const probe = PORTLESS.has(id) ? undefined : opts.ports[0]?.from;
        let union = (protocol: string, port: number | undefined) =>
          outs.reduce((s, o) => s.union(allowedOn(o, protocol, port)), IPSet.empty());
        // A delta that carries no rule (no policy, nothing naming a port or protocol: objects and group members only, for the earlier export's rule to pick up) is not
        // a policy by itself: its reader sees a bare address list. What it must do is what it is for, as in
        // lib/export/formats/vendor.test.ts: the earlier full export (same names) followed by the delta allows exactly
        // the earlier selection plus the delta on the exported port, and nothing on port 22 or the other protocol.
        const ruleless =
          opts.scope === "missing" &&
          outs.every(
            (o) =>
              o.path === undefined &&
              o.entries.every((e) => e.ruleLine === undefined && e.protocol === undefined && e.ports === undefined),
          );
        if (ruleless && !PORTLESS.has(id)) {
          assert.deepEqual(
            prefixes(union(opts.protocol, undefined)),
            prefixes(exported),
            "the delta's objects are the delta",
          );
          const earlierEntries = [...seedUsEu, ...ipv6Entries].filter((e) => !c.entries.some((d) => d.cidr === e.cidr));
          const earlierOpts: ExportOptions = { ...opts, scope: "full" };
          const earlier = renderExport(id, earlierEntries, earlierOpts, scope);
          assert.ok(earlier.ok, earlier.ok ? "" : earlier.errors.join("; "));
          const applied = parseText([...readable(id, earlier.files), ...files].map((f) => f.content).join("\n"));
          assert.equal(applied.format, reader, "earlier export + delta");
          assert.deepEqual(
            applied.findings.filter((f) => f.kind !== "note").map((f) => `${f.line}: ${f.kind} ${f.message}`),
            [],
            "earlier export + delta",
          );
          exported = exported.union(exportedOf(earlierEntries, earlierOpts));
          union = (protocol, port) => allowedOn(applied, protocol, port);
        }
        if (id === "nftables" && opts.deployment === "dedicated") {
          // The dedicated nftables export is a guard table of its own (policy accept) that drops the port for every
          // source but the selection; the port's accept goes into the admin's chain for any source. What it
          // guarantees is the drop: everything but exactly the selection is dropped on the port, nothing on port 22.
          const dropped = (port: number | undefined) =>
            outs.reduce((s, o) => s.union(deniedOn(o, opts.protocol, port)), IPSet.empty());
          const everything = IPSet.of(mustParsePrefix("0.0.0.0/0"), mustParsePrefix("::/0"));
          assert.deepEqual(prefixes(everything.difference(dropped(probe))), prefixes(exported));
          assert.deepEqual(prefixes(dropped(22)), [], "port 22 untouched");
          return;
        }
        assert.deepEqual(prefixes(union(opts.protocol, probe)), prefixes(exported));
        if (probe !== undefined) {
          assert.deepEqual(prefixes(union(opts.protocol, 22)), [], "port 22 stays closed");
          assert.deepEqual(
            prefixes(union(opts.protocol === "tcp" ? "udp" : "tcp", probe)),
            [],
            "the other protocol stays closed",
          );
        }
      });
    }
  }
});
