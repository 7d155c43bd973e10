import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { formatPrefix, parsePrefixOrAddress } from "../../ip/prefix";
import { IPSet, IPSetBuilder } from "../../ip/set";
import { assertSucceeded, inNamespace, requireTools, withPrivateEtc, workDir } from "../checkers";
import { exportCases, type ExportCase } from "../fixtures";
import { exportOptionsSchema, prepareExport, renderExport } from "../prepare";
import type { ExportFormatId, ExportItem, ExportOptions } from "../types";

interface Rendered {
  readonly content: string;
  readonly options: ExportOptions;
  /** The prefixes the format was given (after renderExport's family filtering). */
  readonly cidrs: readonly string[];
}

function render(id: ExportFormatId, c: ExportCase): Rendered | undefined {
  const options = exportOptionsSchema.parse(c.input);
  const regions = c.regions ? { regions: c.regions } : {};
  const result = renderExport(id, c.entries, options, regions);
  if (!result.ok) return undefined;
  const content = result.files[0]?.content ?? "";
  const families = id === "iptables" ? [4] : id === "ip6tables" ? [6] : [4, 6];
  const dest = options.destination?.address.family;
  const items = prepareExport(c.entries, options, regions).filter(
    (i: ExportItem) =>
      families.includes(i.prefix.address.family) && (dest === undefined || dest === i.prefix.address.family),
  );
  return { content, options, cidrs: items.map((i) => formatPrefix(i.prefix)) };
}

/** Runs `check` for every case the format renders; a format must render at least both-families and seed/both. */
function eachCase(
  id: ExportFormatId,
  tools: readonly string[],
  check: (t: TestContext, r: Rendered, c: ExportCase) => void,
) {
  describe(`${id}: real checker`, () => {
    for (const c of exportCases) {
      const r = render(id, c);
      if (r === undefined) continue;
      test(c.name, (t) => {
        if (!requireTools(t, tools)) return;
        check(t, r, c);
      });
    }
  });
}

const canonical = (text: string) => {
  const p = parsePrefixOrAddress(text);
  assert.ok(p.ok, text);
  return formatPrefix(p.value);
};
const sorted = (xs: Iterable<string>) => [...xs].sort();

for (const id of ["iptables", "ip6tables"] as const) {
  eachCase(id, [id, `${id}-save`], (t, r) => {
    const dir = workDir(t, { "allow.sh": r.content });
    const file = join(dir, "allow.sh");
    // Run twice in a throwaway namespace: the second run must add nothing (-C checks).
    const run = inNamespace(`sh '${file}' && sh '${file}' && ${id}-save -t filter`);
    assertSucceeded(run, `sh ${id} script twice`);
    const chain = r.options.namePrefix;
    const rules = run.stdout.split("\n").filter((l) => l.startsWith(`-A ${chain} `) && l.endsWith("-j ACCEPT"));
    const sources = rules.map((l) => canonical(/ -s (\S+)/.exec(l)?.[1] ?? ""));
    assert.deepEqual(sorted(new Set(sources)), sorted(r.cidrs));
    const written = r.content
      .split("\n")
      .filter((l) => l.startsWith("allow ") || (l.startsWith(`-A ${chain} `) && l.endsWith("-j ACCEPT")));
    assert.equal(rules.length, written.length);
    // Dedicated: the chain ends with the drops of the port, after every accept.
    const drops = run.stdout.split("\n").filter((l) => l.startsWith(`-A ${chain} `) && l.endsWith("-j DROP"));
    assert.equal(
      drops.length,
      r.options.deployment === "dedicated" ? r.content.split("\n").filter((l) => l.endsWith("-j DROP")).length : 0,
    );
    const chainLines = run.stdout.split("\n").filter((l) => l.startsWith(`-A ${chain} `));
    assert.deepEqual(chainLines.slice(chainLines.length - drops.length), drops);
    assert.deepEqual(
      run.stdout.split("\n").filter((l) => l.startsWith("-A INPUT ")),
      [`-A INPUT -j ${chain}`],
    );
  });
}

/** The addresses of an nft JSON set's elements ("a", {prefix}, {range}, each possibly wrapped in {elem}). */
function nftElements(elements: readonly unknown[]): IPSet {
  const b = new IPSetBuilder();
  const addr = (x: string) => {
    const p = parsePrefixOrAddress(x);
    assert.ok(p.ok, x);
    return p.value.address;
  };
  for (const raw of elements) {
    const e = (
      typeof raw === "object" && raw !== null && "elem" in raw ? (raw as { elem: { val: unknown } }).elem.val : raw
    ) as string | { prefix: { addr: string; len: number } } | { range: [string, string] };
    if (typeof e === "string") b.add(addr(e));
    else if ("prefix" in e) b.add({ address: addr(e.prefix.addr), bits: e.prefix.len });
    else b.add({ first: addr(e.range[0]), last: addr(e.range[1]) });
  }
  return b.build();
}

eachCase("nftables", ["nft"], (t, r) => {
  const dir = workDir(t, { "allow.sh": r.content });
  const file = join(dir, "allow.sh");
  // The admin's default-drop base chain the additive export extends; run twice: the second run adds nothing.
  const base = `nft add table inet filter && nft add chain inet filter input '{ type filter hook input priority filter; policy drop; }'`;
  const run = inNamespace(`${base} && sh '${file}' && sh '${file}' && nft -j list ruleset`);
  assertSucceeded(run, "nft script twice");
  const ruleset = (
    JSON.parse(run.stdout) as { nftables: Record<string, { name?: string; elem?: unknown[]; comment?: string }>[] }
  ).nftables;
  const members = new IPSetBuilder();
  for (const o of ruleset) {
    const set = o.set;
    if (set !== undefined && /_v[46]$/.test(set.name ?? "")) members.addSet(nftElements(set.elem ?? []));
  }
  const expected = IPSet.of(
    ...r.cidrs.map((c) => {
      const p = parsePrefixOrAddress(c);
      assert.ok(p.ok);
      return p.value;
    }),
  );
  assert.equal(members.build().equals(expected), true, `set members differ from ${r.cidrs.join(", ")}`);
  // The rules the script put into the admin's chain, each once: one per family (additive) or the port's (dedicated).
  const ours = ruleset
    .filter((o) => o.rule !== undefined && (o.rule.comment ?? "").startsWith(r.options.namePrefix))
    .map((o) => o.rule?.comment);
  const want =
    r.options.deployment === "dedicated"
      ? [r.options.namePrefix]
      : [...new Set(r.cidrs.map((c) => `${r.options.namePrefix}_v${c.includes(":") ? 6 : 4}`))];
  assert.deepEqual(sorted(ours as string[]), sorted(want));
});

eachCase("ipset", ["ipset"], (t, r) => {
  const dir = workDir(t, { "allow.ipset": r.content });
  const file = join(dir, "allow.ipset");
  const run = inNamespace(`ipset restore -f '${file}' && ipset restore -f '${file}' && ipset save`);
  assertSucceeded(run, "ipset restore twice");
  const live = new RegExp(`^add ${r.options.namePrefix}_v[46] (\\S+)`);
  const members = run.stdout
    .split("\n")
    .map((l) => live.exec(l)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(canonical);
  assert.deepEqual(sorted(members), sorted(r.cidrs));
  assert.equal(/_tmp/.test(run.stdout), false, "the temporary set is destroyed");
});

eachCase("ufw", ["ufw"], (t, r) => {
  const dir = workDir(t, { "allow.sh": r.content });
  const run = withPrivateEtc(t, "/etc/ufw", `ufw() { command ufw --dry-run "$@"; }; . '${join(dir, "allow.sh")}'`);
  assertSucceeded(run, "ufw --dry-run");
  assert.equal(/ERROR/.test(run.stdout + run.stderr), false, run.stdout + run.stderr);
  const rules = run.stdout.split("\n").filter((l) => /^-A ufw6?-user-input /.test(l) && / -s /.test(l));
  const sources = rules.map((l) => canonical(/ -s (\S+)/.exec(l)?.[1] ?? ""));
  assert.deepEqual(sorted(new Set(sources)), sorted(r.cidrs));
});

eachCase("firewalld", ["firewall-offline-cmd"], (t, r) => {
  const dir = workDir(t, { "allow.sh": r.content });
  const sets = [4, 6].map((f) => `${r.options.namePrefix}_v${f}`);
  const list = sets.map((s) => `(firewall-offline-cmd --ipset=${s} --get-entries 2>/dev/null || true)`).join(" && ");
  // No D-Bus: the script must take its firewall-offline-cmd path (and can never reach a firewalld of the host).
  const script = `export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent; sh '${join(dir, "allow.sh")}' >/dev/null && sh '${join(dir, "allow.sh")}' >/dev/null && ${list} && echo RULES && firewall-offline-cmd --list-rich-rules`;
  const run = withPrivateEtc(t, "/etc/firewalld", script);
  assertSucceeded(run, "firewall-offline-cmd, twice");
  const [entries = "", rules = ""] = run.stdout.split("RULES\n");
  assert.deepEqual(
    sorted(
      entries
        .split("\n")
        .filter((l) => l !== "")
        .map(canonical),
    ),
    sorted(r.cidrs),
  );
  const expectedRules = r.content.split("\n").filter((l) => l.includes("--add-rich-rule=")).length;
  assert.equal(rules.split("\n").filter((l) => l.startsWith("rule ")).length, expectedRules);
});

eachCase("nginx", ["nginx"], (t, r) => {
  const dir = workDir(t, { "allow.conf": r.content });
  const conf = [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    "events {}",
    "http {",
    "  access_log off;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((x) => `  ${x}_temp_path ${dir}/${x};`),
    "  server {",
    "    listen 127.0.0.1:8080;",
    `    location / { include ${dir}/allow.conf; }`,
    "  }",
    "}",
    "",
  ].join("\n");
  const confDir = workDir(t, { "nginx.conf": conf });
  assertSucceeded(inNamespace(`nginx -t -q -p '${dir}/' -c '${confDir}/nginx.conf'`), "nginx -t");
});

eachCase("apache", ["apache2"], (t, r) => {
  const dir = workDir(t, { "allow.conf": r.content });
  const modules = "/usr/lib/apache2/modules";
  const conf = [
    `ServerRoot "${dir}"`,
    `LoadModule mpm_event_module ${modules}/mod_mpm_event.so`,
    `LoadModule authz_core_module ${modules}/mod_authz_core.so`,
    `LoadModule authz_host_module ${modules}/mod_authz_host.so`,
    `PidFile ${dir}/httpd.pid`,
    `ErrorLog ${dir}/error.log`,
    "Listen 127.0.0.1:8080",
    '<Location "/">',
    `  Include ${dir}/allow.conf`,
    "</Location>",
    "",
  ].join("\n");
  const confDir = workDir(t, { "httpd.conf": conf });
  assertSucceeded(inNamespace(`apache2 -t -f '${confDir}/httpd.conf'`), "apache2 -t");
});

eachCase("haproxy", ["haproxy"], (t, r) => {
  const snippet = r.content
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => `    ${l}`);
  const cfg = [
    "defaults",
    "    mode http",
    "    timeout connect 5s",
    "    timeout client 30s",
    "    timeout server 30s",
    "frontend webhooks",
    "    bind 127.0.0.1:8443",
    ...snippet,
    "    default_backend app",
    "backend app",
    "    server app1 127.0.0.1:8080",
    "",
  ].join("\n");
  const dir = workDir(t, { "haproxy.cfg": cfg });
  const run = inNamespace(`haproxy -c -f '${dir}/haproxy.cfg'`);
  assertSucceeded(run, "haproxy -c");
  assert.equal(/\[WARNING\]|\[ALERT\]/.test(run.stdout + run.stderr), false, run.stdout + run.stderr);
});
