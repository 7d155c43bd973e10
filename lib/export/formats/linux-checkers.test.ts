import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test, type TestContext } from "node:test";
import { formatPrefix, parsePrefixOrAddress } from "../../ip/prefix";
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
    (i: ExportItem) => families.includes(i.prefix.address.family) && (dest === undefined || dest === i.prefix.address.family),
  );
  return { content, options, cidrs: items.map((i) => formatPrefix(i.prefix)) };
}

/** Runs `check` for every case the format renders; a format must render at least both-families and seed/both. */
function eachCase(id: ExportFormatId, tools: readonly string[], check: (t: TestContext, r: Rendered, c: ExportCase) => void) {
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
  eachCase(id, [`${id}-restore`, `${id}-save`], (t, r) => {
    const dir = workDir(t, { "rules": r.content });
    const file = join(dir, "rules");
    assertSucceeded(inNamespace(`${id}-restore --test '${file}'`), `${id}-restore --test`);
    // Loaded twice into a throwaway namespace: the second load must replace, not append.
    const run = inNamespace(`${id}-restore --noflush '${file}' && ${id}-restore --noflush '${file}' && ${id}-save -t filter`);
    assertSucceeded(run, `${id}-restore --noflush`);
    const chain = r.options.namePrefix;
    const sources = run.stdout
      .split("\n")
      .filter((l) => l.startsWith(`-A ${chain} `))
      .map((l) => canonical(/ -s (\S+)/.exec(l)?.[1] ?? ""));
    assert.deepEqual(sorted(new Set(sources)), sorted(r.cidrs));
    const ruleLines = r.content.split("\n").filter((l) => l.startsWith("-A ")).length;
    assert.equal(sources.length, ruleLines);
  });
}

eachCase("nftables", ["nft"], (t, r) => {
  const dir = workDir(t, { "allow.nft": r.content });
  const file = join(dir, "allow.nft");
  assertSucceeded(inNamespace(`nft -c -f '${file}'`), "nft -c");
  // Re-loading must be an atomic replacement (the table/delete/table idiom).
  const run = inNamespace(`nft -f '${file}' && nft -f '${file}' && nft list tables`);
  assertSucceeded(run, "nft -f twice");
  assert.equal(run.stdout, `table inet ${r.options.namePrefix}\n`);
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
  const rules = run.stdout.split("\n").filter((l) => /^-A ufw6?-user-input /.test(l));
  const sources = rules.map((l) => canonical(/ -s (\S+)/.exec(l)?.[1] ?? ""));
  assert.deepEqual(sorted(new Set(sources)), sorted(r.cidrs));
  assert.equal(rules.length, r.content.split("\n").filter((l) => l.startsWith("ufw allow ")).length);
});

eachCase("firewalld", ["firewall-offline-cmd"], (t, r) => {
  const dir = workDir(t, { "allow.sh": r.content });
  const sets = [4, 6].map((f) => `${r.options.namePrefix}_v${f}`);
  const list = sets.map((s) => `(firewall-offline-cmd --ipset=${s} --get-entries 2>/dev/null || true)`).join(" && ");
  const run = withPrivateEtc(t, "/etc/firewalld", `sh '${join(dir, "allow.sh")}' >/dev/null && ${list} && echo RULES && firewall-offline-cmd --list-rich-rules`);
  assertSucceeded(run, "firewall-offline-cmd");
  const [entries = "", rules = ""] = run.stdout.split("RULES\n");
  assert.deepEqual(sorted(entries.split("\n").filter((l) => l !== "").map(canonical)), sorted(r.cidrs));
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
  const snippet = r.content.split("\n").filter((l) => l !== "").map((l) => `    ${l}`);
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
