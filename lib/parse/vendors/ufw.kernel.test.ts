/**
 * Differential test against the real ufw and the kernel: random rule lists are loaded with `ufw` into a throwaway
 * network and mount namespace (private copies of /etc/ufw and /etc/default/ufw, so the host is untouched), real TCP
 * connections are made from a second namespace over a veth pair from each source address to each port, and the
 * kernel's verdict (connected or refused) is compared with our trace of the same commands.
 * Deny rules are written as `reject` so a blocked connection fails at once instead of timing out; the reader treats
 * deny and reject alike. Needs root, ufw, iptables, python3, unshare, nsenter and ip (CI has them).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mustParseAddress } from "../../ip/address";
import { trace } from "../../diff/trace";
import { requireTools } from "../../export/checkers";
import type { ParseOutput } from "../types";
import { parseUfw } from "./ufw";
import { samplePrng } from "./samples";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const KERNEL_DIR = fileURLToPath(new URL("./kernel/", import.meta.url));
const SERVER4 = "192.0.2.1";
const SERVER6 = "2001:db8:99::1";
const CLIENTS4 = ["52.1.37.96", "52.1.37.97", "52.1.32.88", "3.74.148.9", "3.74.148.200"];
const CLIENTS6 = ["2406:da00:ff00::1", "2406:da00:ff01::1"];
const PORTS = [443, 8443, 22, 80];
const SOURCES = [
  "any",
  ...CLIENTS4,
  ...CLIENTS6,
  "52.1.37.0/24",
  "52.1.37.96/31",
  "3.74.148.8/30",
  "2406:da00:ff00::/48",
  "2406:da00::/32",
];
const PORT_FORMS = ["", "443", "8443", "22", "8000:9000", "80,443"];

/** One random rule as a ufw command. */
function randomRule(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const action = next() < 0.6 ? "allow" : "reject";
  const where = next() < 0.3 ? "prepend " : "";
  if (next() < 0.2) {
    const port = pick(["443", "8443", "22", "80"]);
    return `ufw ${where}${action} ${port}${next() < 0.5 ? "/tcp" : ""}`;
  }
  const src = pick(SOURCES);
  const port = pick(PORT_FORMS);
  const needsProto = port.includes(":") || port.includes(",");
  const proto = needsProto || (port !== "" && next() < 0.5) ? " proto tcp" : "";
  return `ufw ${where}${action}${proto} from ${src} to any${port === "" ? "" : ` port ${port}`}`;
}

function randomList(seed: number): string[] {
  const next = samplePrng(seed);
  const rules = Array.from({ length: 3 + Math.floor(next() * 6) }, () => randomRule(next));
  return [`ufw default ${next() < 0.7 ? "reject" : "allow"} incoming`, ...rules];
}

/**
 * One random rule for the edit lists: from an IPv4 source (ufw keeps it in its IPv4 list), from an IPv6 one (its IPv6
 * list), or from anywhere (one rule in each list).
 */
function randomEditRule(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const action = next() < 0.6 ? "allow" : "reject";
  const port = pick(["", "443", "8443", "22"]);
  if (next() < 0.3) return `${action} ${port === "" ? "80" : port}${next() < 0.5 ? "/tcp" : ""}`;
  const src = pick([...CLIENTS4, "52.1.37.0/24", "52.1.37.96/31", ...CLIENTS6, "2406:da00:ff00::/48"]);
  return `${action} from ${src} to any${port === "" ? "" : ` port ${port}`}`;
}

/**
 * A random list of rules with edits among the adds: the same rule with another action (ufw replaces it in its place),
 * `ufw delete RULE` (a rule of the list, its action sometimes changed, or one not in it), `ufw --force delete N`,
 * `ufw insert N RULE` and `ufw prepend RULE`, N drawn up to two past the numbered rules (ufw refuses what is past
 * them: "Could not delete non-existent rule", "Invalid position"). ufw numbers its IPv6 rules after all the IPv4 ones,
 * and a rule from anywhere is one rule in each list: delete N deletes one of them, insert N places each.
 */
function randomEdits(seed: number): string[] {
  const next = samplePrng(seed);
  const made: string[] = [];
  const cmds = [`ufw default ${next() < 0.7 ? "reject" : "allow"} incoming`];
  const count = 6 + Math.floor(next() * 12);
  const flip = (rule: string) =>
    rule.startsWith("allow") ? rule.replace(/^allow/, "reject") : rule.replace(/^reject/, "allow");
  for (let i = 0; i < count; i++) {
    const roll = next();
    const at = 1 + Math.floor(next() * (made.length * 1.5 + 2));
    if (roll < 0.35 || made.length === 0) {
      const rule = randomEditRule(next);
      made.push(rule);
      cmds.push(`ufw ${rule}`);
    } else if (roll < 0.45) {
      cmds.push(`ufw ${flip(made[Math.floor(next() * made.length)]!)}`);
    } else if (roll < 0.6) {
      cmds.push(`ufw ${next() < 0.3 ? "prepend" : `insert ${at}`} ${randomEditRule(next)}`);
    } else if (roll < 0.75) {
      cmds.push(`ufw --force delete ${at}`);
    } else {
      const rule = made[Math.floor(next() * made.length)]!;
      cmds.push(`ufw delete ${next() < 0.7 ? rule : next() < 0.5 ? flip(rule) : randomEditRule(next)}`);
    }
  }
  return cmds;
}

const PROBES = [
  ...CLIENTS4.flatMap((c) => PORTS.map((p) => `${c}|${SERVER4}|${p}`)),
  ...CLIENTS6.flatMap((c) => PORTS.map((p) => `${c}|${SERVER6}|${p}`)),
];

/** The shell script run inside `unshare -mn`: one namespace pair, every list in turn, one JSON line of verdicts per list. */
function script(lists: readonly string[][]): string {
  const rounds = lists
    .map((cmds) =>
      [
        "ufw --force reset >/dev/null",
        ...cmds.map((c) => `${c} >/dev/null`),
        "ufw --force enable >/dev/null",
        `nsenter -t $CPID -n python3 ${KERNEL_DIR}connect.py ${PROBES.map((p) => `'${p}'`).join(" ")}`,
      ].join("\n"),
    )
    .join("\n");
  return `set -e
ETC=$(mktemp -d /tmp/x17-ufwetc.XXXXXX); DEF=$(mktemp /tmp/x17-ufwdef.XXXXXX)
trap 'kill $SPID $CPID 2>/dev/null; rm -rf "$ETC" "$DEF"' EXIT
cp -a /etc/ufw/. "$ETC"/; : > "$ETC/sysctl.conf"; cp /etc/default/ufw "$DEF"
mount --bind "$ETC" /etc/ufw; mount --bind "$DEF" /etc/default/ufw
ip link set lo up
unshare -n sleep 600 & CPID=$!
sleep 0.3
ip link add x17s type veth peer name x17c
ip link set x17c netns $CPID
ip addr add ${SERVER4}/32 dev x17s; ip -6 addr add ${SERVER6}/128 dev x17s nodad; ip link set x17s up
ip route add default dev x17s; ip -6 route add default dev x17s
nsenter -t $CPID -n sh -c 'ip link set lo up; ip link set x17c up; ${CLIENTS4.map((a) => `ip addr add ${a}/32 dev x17c;`).join(" ")} ${CLIENTS6.map((a) => `ip -6 addr add ${a}/128 dev x17c nodad;`).join(" ")} ip route add ${SERVER4}/32 dev x17c; ip -6 route add ${SERVER6}/128 dev x17c'
python3 ${KERNEL_DIR}listen.py ${PORTS.join(",")} >/dev/null & SPID=$!
sleep 1
${rounds}
`;
}

/** Runs each list through the real ufw (see `script`); the kernel's verdict per probe, one record per list. */
function kernelVerdicts(lists: readonly string[][]): Record<string, boolean>[] {
  const run = spawnSync("unshare", ["-mn", "sh", "-c", script(lists)], { encoding: "utf8", timeout: 300_000 });
  assert.equal(run.status, 0, run.stderr);
  const results = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, boolean>);
  assert.equal(results.length, lists.length);
  return results;
}

/** The probes where our trace of `ours` and the kernel's verdicts differ, as sentences. */
function mismatches(ours: ParseOutput, kernel: Record<string, boolean>): string[] {
  const out: string[] = [];
  for (const probe of PROBES) {
    const [src, , port] = probe.split("|") as [string, string, string];
    const allowed = trace(ours, mustParseAddress(src), { catalog: SEED_CATALOG, port: Number(port) }).allowed;
    if (allowed !== kernel[probe])
      out.push(
        `${src} → ${port}: kernel ${kernel[probe] ? "allows" : "blocks"}, we say ${allowed ? "allowed" : "blocked"}`,
      );
  }
  return out;
}

test("ufw: the kernel's verdicts equal ours on random rule lists", (t) => {
  if (!requireTools(t, ["ufw", "iptables", "python3", "nsenter", "ip"])) return;
  const seeds = [11, 12, 13, 14, 15, 16, 17, 18];
  const lists = seeds.map(randomList);
  const results = kernelVerdicts(lists);
  let compared = 0;
  lists.forEach((cmds, k) => {
    const ours = parseUfw(cmds.join("\n") + "\n");
    assert.deepEqual(ours.findings, [], cmds.join("\n"));
    assert.deepEqual(mismatches(ours, results[k]!), [], `seed ${seeds[k]}:\n${cmds.join("\n")}`);
    compared += Object.keys(results[k]!).length;
  });
  assert.equal(compared, seeds.length * PROBES.length);
});

test("ufw: delete RULE, delete N and insert N equal the kernel's verdicts", (t) => {
  if (!requireTools(t, ["ufw", "iptables", "python3", "nsenter", "ip"])) return;
  const seeds = [31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44];
  const lists = seeds.map(randomEdits);
  // A command ufw refuses changes nothing, and the next ones still run.
  const results = kernelVerdicts(lists.map((cmds) => cmds.map((c) => `(${c} 2>/dev/null || true)`)));
  lists.forEach((cmds, k) => {
    const ours = parseUfw(cmds.join("\n") + "\n");
    assert.deepEqual(
      ours.findings.filter((f) => f.kind !== "note"),
      [],
      cmds.join("\n"),
    );
    assert.deepEqual(mismatches(ours, results[k]!), [], `seed ${seeds[k]}:\n${cmds.join("\n")}`);
  });
});
