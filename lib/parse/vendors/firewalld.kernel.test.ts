/**
 * Differential test against the real firewalld and the kernel: firewalld 1.3 runs here inside a throwaway network and
 * mount namespace, on a private D-Bus system bus and a private copy of /etc/firewalld (the host's bus, configuration
 * and rules are untouched). Random rule lists are loaded with `firewall-cmd --permanent` and `--reload`, real TCP
 * connections are made from a second namespace over a veth pair, and the kernel's verdicts are compared with our
 * trace of the same commands. Rejects only (no drop), so a blocked connection fails at once.
 * Needs root, firewalld, dbus-daemon, nft, python3, unshare, nsenter and ip (CI has them).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mustParseAddress } from "../../ip/address";
import { trace } from "../../diff/trace";
import { requireTools } from "../../export/checkers";
import { parseFirewalld } from "./firewalld";
import { parseNftables } from "./nftables";
import { detectFormat } from "../registry";
import { samplePrng } from "./samples";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const KERNEL_DIR = fileURLToPath(new URL("./kernel/", import.meta.url));
const SERVER4 = "192.0.2.1";
const SERVER6 = "2001:db8:99::1";
const CLIENTS4 = ["52.1.37.96", "52.1.37.97", "52.1.32.88", "3.74.148.9", "3.74.148.200"];
const CLIENTS6 = ["2406:da00:ff00::1", "2406:da00:ff01::1"];
const PORTS = [443, 8443, 22, 80];
const SOURCES4 = [...CLIENTS4, "52.1.37.0/24", "52.1.37.96/31", "3.74.148.8/30"];
const SOURCES6 = [...CLIENTS6, "2406:da00:ff00::/48", "2406:da00::/32"];
const FW = "firewall-cmd --permanent";

function randomList(seed: number): string[] {
  const next = samplePrng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const out: string[] = [];
  const count = 3 + Math.floor(next() * 6);
  let bound = false;
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.55) {
      const v6 = next() < 0.3;
      const src = pick(v6 ? SOURCES6 : SOURCES4);
      const not = next() < 0.1 ? " not" : "";
      const priority = next() < 0.3 ? ` priority="${pick(["-5", "-1", "1", "5"])}"` : "";
      const what =
        next() < 0.2
          ? ` service name="${pick(["https", "http", "ssh"])}"`
          : next() < 0.2
            ? ""
            : ` port port="${pick(["443", "8443", "22", "80", "8000-9000"])}" protocol="tcp"`;
      const verdict = next() < 0.6 ? "accept" : "reject";
      out.push(
        `${FW} --zone=public --add-rich-rule='rule${priority} family="${v6 ? "ipv6" : "ipv4"}" source${not} address="${src}"${what} ${verdict}'`,
      );
    } else if (roll < 0.75) {
      out.push(`${FW} --zone=public --add-port=${pick(["443/tcp", "8443/tcp", "22/tcp", "8000-9000/tcp"])}`);
    } else if (roll < 0.9) {
      out.push(`${FW} --zone=public --add-service=${pick(["https", "http", "ssh"])}`);
    } else if (!bound) {
      // A zone bound to a source decides that source, whatever the public zone says.
      bound = true;
      out.push(`${FW} --new-zone=x17z`);
      if (next() < 0.5) out.push(`${FW} --zone=x17z --set-target=ACCEPT`);
      out.push(`${FW} --zone=x17z --add-source=${pick([...SOURCES4.slice(0, 5), "52.1.37.96/31"])}`);
      out.push(`${FW} --zone=x17z --add-service=${pick(["https", "ssh"])}`);
    }
  }
  if (next() < 0.3) out.push(`${FW} --zone=public --set-target=ACCEPT`);
  return out;
}

/**
 * randomList, then removals as firewall-cmd takes them: ports (a whole range, a port inside one, which splits it, or
 * one the zone lacks: NOT_ENABLED, nothing changes), services, and rich rules added before, written again without
 * quotes and with an element's attributes in another order (firewalld compares the parsed rule).
 */
function randomEdits(seed: number): string[] {
  const out = randomList(seed);
  const next = samplePrng(seed * 7919);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const rich = out.flatMap((c) => /--zone=public --add-rich-rule='(.*)'$/.exec(c)?.[1] ?? []);
  const count = 2 + Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.45)
      out.push(
        `${FW} --zone=public --remove-port=${pick(["443/tcp", "8443/tcp", "22/tcp", "8000-9000/tcp", "8000-8500/tcp", "8400-8443/tcp", "80/tcp"])}`,
      );
    else if (roll < 0.7) out.push(`${FW} --zone=public --remove-service=${pick(["https", "http", "ssh"])}`);
    else if (rich.length > 0) {
      const again = pick(rich)
        .replace(/"/g, "")
        .replace(/port=(\S+) protocol=tcp/, "protocol=tcp port=$1");
      out.push(`${FW} --zone=public --remove-rich-rule='${again}'`);
    }
    if (next() < 0.3) out.push(`${FW} --zone=public --add-port=${pick(["8443/tcp", "8440-8450/tcp", "22/tcp"])}`);
  }
  return out;
}

/** Removals chosen, not drawn: a port cut out of a range and put back by an overlapping add, a port a service keeps open. */
const EDIT_LISTS: readonly string[][] = [
  [
    `${FW} --zone=public --add-port=8000-9000/tcp --add-port=443/tcp`,
    `${FW} --zone=public --add-service=https --add-service=ssh`,
    `${FW} --zone=public --add-rich-rule='rule family="ipv4" source address="52.1.37.96" port port="80" protocol="tcp" accept'`,
    `${FW} --zone=public --add-rich-rule='rule family="ipv4" source address="3.74.148.8/30" reject'`,
    `${FW} --zone=public --remove-port=8443/tcp`,
    `${FW} --zone=public --remove-port=443/tcp`,
    `${FW} --zone=public --remove-service=ssh`,
    `${FW} --zone=public --remove-rich-rule='rule family=ipv4 reject source address=3.74.148.8/30'`,
    `${FW} --zone=public --remove-port=8000-8100/tcp`,
  ],
  [
    `${FW} --zone=public --add-port=8000-9000/tcp --add-port=22/tcp`,
    `${FW} --zone=public --remove-port=8443/tcp --remove-port=8000-8500/tcp`,
    `${FW} --zone=public --add-port=8440-8450/tcp`,
    `${FW} --zone=public --remove-service=https`,
    `${FW} --zone=public --add-service=https`,
    `${FW} --zone=public --remove-port=443/tcp`,
    `${FW} --zone=public --add-port=22/tcp`,
    `${FW} --zone=public --add-rich-rule='rule family="ipv4" source address="52.1.37.0/24" port port="443" protocol="tcp" reject'`,
    `${FW} --zone=public --remove-rich-rule='rule family="ipv4" source address="52.1.37.0/24" port port="443" protocol="tcp" drop'`,
  ],
  // Direct rules: iptables rules beside the zone. A reject there blocks what the zone allows; an accept there leaves
  // the zone to decide (52.1.37.96 to 8443, which the zone does not open, stays blocked).
  [
    `${FW} --zone=public --add-service=https`,
    `${FW} --direct --add-rule ipv4 filter INPUT 0 -s 52.1.37.97 -p tcp --dport 443 -j REJECT`,
    `${FW} --direct --add-rule ipv4 filter INPUT 0 -s 52.1.37.96 -p tcp --dport 8443 -j ACCEPT`,
    `${FW} --direct --add-rule ipv4 filter INPUT 1 -s 52.1.32.88 -j REJECT`,
    `${FW} --direct --add-rule ipv4 filter INPUT -1 -s 52.1.32.88 -p tcp --dport 443 -j ACCEPT`,
    `${FW} --direct --add-rule ipv6 filter INPUT 0 -s 2406:da00:ff00::/48 -p tcp --dport 443 -j REJECT`,
    `${FW} --direct --add-chain ipv4 filter fresh`,
    `${FW} --direct --add-rule ipv4 filter fresh 0 -s 3.74.148.9 -j REJECT`,
    `${FW} --direct --add-rule ipv4 filter INPUT 2 -j fresh`,
    `${FW} --direct --add-rule ipv4 filter INPUT 0 -s 3.74.148.200 -p tcp --dport 443 -j REJECT`,
    `${FW} --direct --remove-rule ipv4 filter INPUT 0 -s 3.74.148.200 -p tcp --dport 443 -j REJECT`,
  ],
  // Source and destination swapped: a rule to a published NAT IP accepts nothing from it (the connection is addressed
  // to the server, 192.0.2.1); the one to the server's own address does.
  [
    `${FW} --zone=public --add-rich-rule='rule family="ipv4" destination address="52.1.37.96" port port="443" protocol="tcp" accept'`,
    `${FW} --zone=public --add-rich-rule='rule family="ipv4" source address="52.1.32.88" destination address="192.0.2.1" port port="443" protocol="tcp" accept'`,
  ],
];

const PROBES = [
  ...CLIENTS4.flatMap((c) => PORTS.map((p) => `${c}|${SERVER4}|${p}`)),
  ...CLIENTS6.flatMap((c) => PORTS.map((p) => `${c}|${SERVER6}|${p}`)),
];

const CLEAN_PUBLIC = '<?xml version="1.0" encoding="utf-8"?>\\n<zone>\\n  <short>Public</short>\\n</zone>\\n';

function script(lists: readonly string[][]): string {
  const rounds = lists
    .map((cmds) =>
      [
        // Each list starts from an empty public zone and no other zone of ours.
        'rm -f "$ETC"/zones/*.xml "$ETC"/direct.xml',
        `printf '${CLEAN_PUBLIC}' > "$ETC/zones/public.xml"`,
        "fwreload completeReload",
        ...cmds.map((c) => `${c} >/dev/null`),
        "fwreload reload",
        `nsenter -t $CPID -n python3 ${KERNEL_DIR}connect.py ${PROBES.map((p) => `'${p}'`).join(" ")}`,
        // The ruleset firewalld generated for this list, for the nftables reader (one line, base64).
        'echo "nft:$(nft list ruleset | base64 -w0)"',
      ].join("\n"),
    )
    .join("\n");
  // firewall-cmd waits 25 s for firewalld's answer on D-Bus, and on a slow or loaded machine a reload takes longer
  // (seen: 13 s for --reload, over 25 s for --complete-reload on a 2-core machine running other tests). Reloads are
  // asked on D-Bus directly, with a 3-minute wait; other calls are tried again (an add already applied answers
  // ALREADY_ENABLED and succeeds).
  return `set -e
fwreload() { dbus-send --system --print-reply --reply-timeout=180000 --dest=org.fedoraproject.FirewallD1 /org/fedoraproject/FirewallD1 org.fedoraproject.FirewallD1.$1 >/dev/null; }
ETC=$(mktemp -d /tmp/x17-fwdetc.XXXXXX); RUN=$(mktemp -d /tmp/x17-fwdrun.XXXXXX); BIN=$(mktemp -d /tmp/x17-fwdbin.XXXXXX)
trap 'kill $SPID $FPID $CPID 2>/dev/null; [ -f "$RUN/dbus.pid" ] && kill $(cat "$RUN/dbus.pid") 2>/dev/null; rm -rf "$ETC" "$RUN" "$BIN"' EXIT
printf '#!/bin/sh\nfor try in 1 2 3; do %s "$@" && exit 0; echo "firewall-cmd $* failed (try $try)" >&2; sleep 2; done\nexit 1\n' "$(command -v firewall-cmd)" > "$BIN/firewall-cmd"
chmod +x "$BIN/firewall-cmd"
cp -a /etc/firewalld/. "$ETC"/
mkdir -p "$ETC/zones"
mount --bind "$ETC" /etc/firewalld
mkdir -p /run/dbus
mount --bind "$RUN" /run/dbus
ip link set lo up
dbus-daemon --system --fork --print-pid > "$RUN/dbus.pid"
/usr/sbin/firewalld --nofork --nopid > "$RUN/firewalld.log" 2>&1 & FPID=$!
for i in $(seq 1 120); do firewall-cmd --state >/dev/null 2>&1 && break; sleep 0.5; done
PATH="$BIN:$PATH"
unshare -n sleep 900 & CPID=$!
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

test("firewalld: the kernel's verdicts equal ours on random rule lists, read as firewall-cmd commands and as the nftables ruleset firewalld generated", (t) => {
  if (!requireTools(t, ["firewalld", "firewall-cmd", "dbus-daemon", "dbus-send", "nft", "python3", "nsenter", "ip"]))
    return;
  const seeds = [21, 22, 23, 24, 25, 26, 27, 28];
  const lists = [...seeds.map(randomList), ...[41, 42].map(randomEdits), ...EDIT_LISTS];
  const run = spawnSync("unshare", ["-mn", "sh", "-c", script(lists)], { encoding: "utf8", timeout: 900_000 });
  assert.equal(run.status, 0, run.stderr);
  const results = run.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, boolean>);
  assert.equal(results.length, lists.length, run.stdout);
  const rulesets = run.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("nft:"))
    .map((l) => Buffer.from(l.slice(4), "base64").toString("utf8"));
  assert.equal(rulesets.length, lists.length, run.stdout);
  let compared = 0;
  lists.forEach((cmds, k) => {
    const ours = parseFirewalld(cmds.join("\n") + "\n");
    // Only the notes of removals firewalld refused (NOT_ENABLED): the random removals name things the zone may lack.
    assert.deepEqual(
      ours.findings.filter((f) => !(f.kind === "note" && /removes nothing|nothing is removed/.test(f.message))),
      [],
      cmds.join("\n"),
    );
    // The same verdicts from the nftables reader on the ruleset firewalld generated (`nft list ruleset`): a real,
    // machine-written ruleset of jumps, gotos, vmaps and sets, read by a reader that knows nothing of firewalld.
    const generated = parseNftables(rulesets[k]!);
    assert.equal(detectFormat(rulesets[k]!).format, "nftables");
    const mismatches: string[] = [];
    for (const probe of PROBES) {
      const [src, , port] = probe.split("|") as [string, string, string];
      for (const [reader, parsed] of [
        ["firewall-cmd", ours],
        ["nft list ruleset", generated],
      ] as const) {
        const allowed = trace(parsed, mustParseAddress(src), { catalog: SEED_CATALOG, port: Number(port) }).allowed;
        compared++;
        if (allowed !== results[k]![probe])
          mismatches.push(
            `${reader}: ${src} → ${port}: kernel ${results[k]![probe] ? "allows" : "blocks"}, we say ${allowed ? "allowed" : "blocked"}`,
          );
      }
    }
    assert.deepEqual(mismatches, [], `list ${k}:\n${cmds.join("\n")}`);
  });
  assert.equal(compared, lists.length * PROBES.length * 2);
});
