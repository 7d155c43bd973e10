import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { exportCases, seedUsEu } from "../fixtures";
import { assertGolden } from "../golden";
import { exportOptionsSchema, renderExport } from "../prepare";
import { linuxExporters } from "./linux";

describe("linux and generic exporters: exact goldens", () => {
  for (const exporter of Object.values(linuxExporters)) {
    for (const c of exportCases) {
      test(`${exporter.id} ${c.name}`, () => {
        const options = exportOptionsSchema.parse(c.input);
        const result = renderExport(exporter.id, c.entries, options, c.regions ? { regions: c.regions } : {});
        if (!result.ok) {
          assertGolden(exporter.id, `${c.name}.error`, "txt", `${result.errors.join("\n")}\n`);
          return;
        }
        // Formats holding one family leave the other out with a warning; the golden records it.
        if (result.warnings.length > 0) {
          assertGolden(exporter.id, `${c.name}.warnings`, "txt", `${result.warnings.join("\n")}\n`);
        }
        assert.equal(result.files.length, 1);
        const file = result.files[0];
        assert.ok(file !== undefined);
        assert.equal(file.name.endsWith(`-${exporter.id}.${exporter.extension}`), true, file.name);
        assertGolden(exporter.id, c.name, exporter.extension, file.content);
      });
    }
  }
});

// nginx, HAProxy and Apache full exports in each model: additive (the default, in the shared cases above) is
// allow/accept/Require lines only, since it promises to change nothing but add these sources; dedicated ends with the
// catch-all that lets only them in (Apache: a <RequireAny> block that is the section's whole policy). All deployed on
// real servers in servers-delta.test.ts.
describe("nginx, HAProxy and Apache dedicated full exports: exact goldens", () => {
  for (const id of ["nginx", "haproxy", "apache"] as const) {
    test(id, () => {
      const options = exportOptionsSchema.parse({
        provider: "Freshworks",
        catalogLabel: "freshworks v1 (sha256:4ce552359fe97bd7)",
        namePrefix: "freshworks",
        deployment: "dedicated",
      });
      const result = renderExport(id, seedUsEu, options, { regions: ["US", "EU"] });
      assert.ok(result.ok, result.ok ? "" : result.errors.join("; "));
      assertGolden(id, "dedicated.warnings", "txt", `${result.warnings.join("\n")}\n`);
      assertGolden(id, "dedicated", id === "haproxy" ? "cfg" : "conf", result.files[0]?.content ?? "");
    });
  }
});

describe("limits", () => {
  const one = [{ cidr: "192.0.2.0/24", region: "US", products: ["P"] }];
  const many = exportOptionsSchema.parse({
    ports: "1-2,3-4,5-6,7-8,9-10,11-12,13-14,15,16",
    comments: false,
    namePrefix: "fw",
  });

  test("iptables splits port lists over the 15 multiport slots", () => {
    const r = renderExport("iptables", one, many);
    assert.deepEqual(r.ok && r.files[0]?.content.split("\n").filter((l) => l.startsWith("allow ")), [
      "allow -s 192.0.2.0/24 -p tcp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15 -j ACCEPT",
      "allow -s 192.0.2.0/24 -p tcp -m multiport --dports 16 -j ACCEPT",
    ]);
  });

  test("ufw splits port lists the same way", () => {
    const r = renderExport("ufw", one, many);
    assert.deepEqual(r.ok && r.files[0]?.content.split("\n").filter((l) => l.startsWith("ufw ")), [
      "ufw prepend allow proto tcp from 192.0.2.0/24 to any port 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15 comment 'fw:'",
      "ufw prepend allow proto tcp from 192.0.2.0/24 to any port 16 comment 'fw:'",
    ]);
  });

  test("ipset refuses set names over 31 characters", () => {
    const long = exportOptionsSchema.parse({ namePrefix: "a".repeat(25) });
    assert.deepEqual(renderExport("ipset", one, long), {
      ok: false,
      errors: [`ipset: set name "${"a".repeat(25)}_v4_tmp" is longer than 31 characters; choose a shorter name prefix`],
    });
  });

  test("firewalld refuses ipset names over 32 characters", () => {
    // firewalld (IPSET_MAXNAMELEN 32 in firewall/core/ipset.py) created and filled "<30 a>_v4" in the permanent
    // configuration, then refused the rich rule naming it with INVALID_IPSET: a half-applied script (seen with
    // firewall-offline-cmd). https://firewalld.org/documentation/man-pages/firewalld.ipset.html
    const long = exportOptionsSchema.parse({ namePrefix: "a".repeat(30) });
    assert.deepEqual(renderExport("firewalld", one, long), {
      ok: false,
      errors: [
        `firewalld: ipset name "${"a".repeat(30)}_v4" is longer than 32 characters; choose a shorter name prefix`,
      ],
    });
    assert.equal(renderExport("firewalld", one, exportOptionsSchema.parse({ namePrefix: "a".repeat(29) })).ok, true);
  });

  test("formats without a destination refuse one instead of ignoring it", () => {
    const dest = exportOptionsSchema.parse({ destination: "198.51.100.0/24" });
    assert.deepEqual(renderExport("nginx", one, dest), {
      ok: false,
      errors: [
        "nginx: the destination 198.51.100.0/24 cannot be expressed: the snippet applies to the server or location that includes it",
      ],
    });
  });
});
