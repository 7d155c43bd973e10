/**
 * Synthetic configs of a given size, one generator per format, for the bench and the fuzz test's hang guard.
 * Deterministic from the seed. Each format's owner appends its generators below.
 */
import type { FormatId } from "../types";

export type SampleGenerator = (lines: number, seed: number) => string;

export const sampleGenerators: Partial<Record<FormatId, SampleGenerator>> = {};

/** mulberry32: a tiny deterministic PRNG, so a seed always gives the same config. */
export function samplePrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- network formats: Cisco ASA, Cisco IOS, PAN-OS, FortiGate, Junos ----

/** A random public-looking IPv4 /24 network address and IPv6 /48, from one draw each. */
function netSampleAddresses(next: () => number): { v4: string; v6: string } {
  const o = (n: number): number => Math.floor(next() * n);
  return {
    v4: `${1 + o(222)}.${o(256)}.${o(256)}.0`,
    v6: `2001:db8:${o(65536).toString(16)}::`,
  };
}

/** Emits `unit(i)` chunks until `lines` lines are written; `head`/`tail` frame the config. */
function netSample(lines: number, head: string[], tail: string[], unit: (i: number) => string[]): string {
  const out = [...head];
  for (let i = 0; out.length < lines - tail.length; i++) out.push(...unit(i));
  out.length = Math.max(lines - tail.length, head.length);
  out.push(...tail);
  return out.join("\n") + "\n";
}

sampleGenerators["cisco-asa"] = (lines, seed) => {
  const next = samplePrng(seed);
  return netSample(lines, [": Saved", "ASA Version 9.18(2)", "hostname fw"], ["access-group OUTSIDE_IN in interface outside"], (i) => {
    const { v4, v6 } = netSampleAddresses(next);
    if (i % 3 === 0) return [`object network OBJ-${i}`, ` subnet ${v4} 255.255.255.0`];
    if (i % 3 === 1) return [`object-group network GRP-${i}`, ` network-object object OBJ-${i - 1}`, ` network-object ${v6}/48`, ` network-object host ${v4.replace(/0$/, "7")}`];
    return [`access-list OUTSIDE_IN extended permit tcp object-group GRP-${i - 1} any eq https`, `access-list OUTSIDE_IN extended deny ip ${v4} 255.255.255.0 any`];
  });
};

sampleGenerators["cisco-ios"] = (lines, seed) => {
  const next = samplePrng(seed);
  return netSample(lines, ["version 17.3", "hostname rtr", "interface GigabitEthernet0/0", " ip access-group FW-IN in"], ["end"], (i) => {
    const { v4, v6 } = netSampleAddresses(next);
    if (i % 50 === 0) return [`ip access-list extended FW-IN`, ` ${i} permit tcp ${v4} 0.0.0.255 any eq 443`];
    if (i % 50 === 1) return [`ipv6 access-list FW6-${i}`, ` permit tcp ${v6}/48 any eq 443`, `ip access-list extended FW-IN`];
    return [` ${i * 10} ${i % 7 === 0 ? "deny  " : "permit"} tcp ${v4} 0.0.0.255 host 192.0.2.10 eq 443`];
  });
};

sampleGenerators.panos = (lines, seed) => {
  const next = samplePrng(seed);
  return netSample(lines, [], [], (i) => {
    const { v4, v6 } = netSampleAddresses(next);
    if (i % 3 === 0) return [`set address A-${i} ip-netmask ${v4}/24`, `set address A6-${i} ip-netmask ${v6}/48`];
    if (i % 3 === 1) return [`set address-group G-${i} static [ A-${i - 1} A6-${i - 1} ]`];
    return [
      `set rulebase security rules R-${i} from untrust to trust source [ G-${i - 1} ${v4.replace(/0$/, "9")} ]`,
      `set rulebase security rules R-${i} destination any service service-https application any action ${i % 5 === 0 ? "deny" : "allow"}`,
    ];
  });
};

sampleGenerators.fortigate = (lines, seed) => {
  const next = samplePrng(seed);
  const addresses: string[] = [];
  const policies: string[] = [];
  for (let i = 0; addresses.length + policies.length < lines; i++) {
    const { v4 } = netSampleAddresses(next);
    addresses.push(`    edit "A-${i}"`, `        set subnet ${v4} 255.255.255.0`, "    next");
    policies.push(`    edit ${i + 1}`, `        set srcaddr "A-${i}"`, '        set dstaddr "all"', "        set action accept", '        set service "HTTPS"', "    next");
  }
  return ["config firewall address", ...addresses, "end", "config firewall policy", ...policies, "end"].slice(0, Math.max(lines, 4)).join("\n") + "\n";
};

sampleGenerators.junos = (lines, seed) => {
  const next = samplePrng(seed);
  const book = "set security address-book global";
  const policy = "set security policies from-zone untrust to-zone trust policy";
  return netSample(lines, ["set system host-name srx"], ["set security policies default-policy deny-all"], (i) => {
    const { v4, v6 } = netSampleAddresses(next);
    if (i % 3 === 0) return [`${book} address A-${i} ${v4}/24`, `${book} address A6-${i} ${v6}/48`];
    if (i % 3 === 1) return [`${book} address-set S-${i} address A-${i - 1}`, `${book} address-set S-${i} address A6-${i - 1}`];
    return [
      `${policy} P-${i} match source-address S-${i - 1}`,
      `${policy} P-${i} match destination-address any`,
      `${policy} P-${i} match application junos-https`,
      `${policy} P-${i} then ${i % 5 === 0 ? "deny" : "permit"}`,
    ];
  });
};

// ---- Linux, web-server and cloud formats: iptables, nftables, ipset, nginx, Apache, HAProxy, AWS, Azure, GCP ----

/** Random public-looking addresses for the Linux group's generators. */
function linuxSampleAddresses(next: () => number): { v4: string; v4net: string; v6net: string } {
  const o = (n: number): number => Math.floor(next() * n);
  const a = `${1 + o(222)}.${o(256)}.${o(256)}`;
  return { v4: `${a}.${1 + o(254)}`, v4net: `${a}.0/24`, v6net: `2001:db8:${o(65536).toString(16)}::/48` };
}

/** `count` body lines from `unit`, framed by head and tail, exactly `lines` lines in all (never fewer than the frame). */
function linuxSample(lines: number, head: string[], tail: string[], unit: (i: number) => string[]): string {
  const body: string[] = [];
  for (let i = 0; body.length < lines - head.length - tail.length; i++) body.push(...unit(i));
  body.length = Math.max(0, lines - head.length - tail.length);
  return [...head, ...body, ...tail].join("\n") + "\n";
}

sampleGenerators.iptables = (lines, seed) => {
  const next = samplePrng(seed);
  const head = ["# Generated by iptables-save v1.8.9", "*filter", ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]", ":WEB - [0:0]"];
  return linuxSample(lines, head, ["-A INPUT -p tcp -m multiport --dports 80,443 -j WEB", "COMMIT"], (i) => {
    const { v4, v4net, v6net } = linuxSampleAddresses(next);
    if (i % 10 === 0) return [`-A INPUT -s ${v4} -p tcp -m tcp --dport 22 -j DROP`];
    if (i % 10 === 1) return [`-A WEB -s ${v6net} -j ACCEPT`];
    return [`-A ${i % 2 ? "INPUT" : "WEB"} -s ${v4net} -p tcp -m tcp --dport 443 -m comment --comment "r${i}" -j ACCEPT`];
  });
};

sampleGenerators.ipset = (lines, seed) => {
  const next = samplePrng(seed);
  return linuxSample(lines, [], [], (i) => {
    const { v4, v4net } = linuxSampleAddresses(next);
    if (i % 500 === 0) return [`create set${i} hash:net family inet hashsize 1024 maxelem 65536 comment`];
    return [i % 3 ? `add set${i - (i % 500)} ${v4net} comment "n${i}"` : `add set${i - (i % 500)} ${v4}`];
  });
};

sampleGenerators.nftables = (lines, seed) => {
  const next = samplePrng(seed);
  const half = Math.max(0, Math.floor((lines - 20) / 2));
  const elements: string[] = [];
  for (let i = 0; i < half; i++) elements.push(`\t\t\t     ${linuxSampleAddresses(next).v4net},`);
  elements.push("\t\t\t     192.0.2.1 }");
  const rules: string[] = [];
  for (let i = 0; rules.length < lines - half - 20; i++) {
    const { v4, v6net } = linuxSampleAddresses(next);
    rules.push(i % 5 === 0 ? `\t\tip6 saddr ${v6net} tcp dport 443 accept` : `\t\tip saddr ${v4} tcp dport { 80, 443 } counter packets 0 bytes 0 ${i % 7 ? "accept" : "drop"}`);
  }
  return [
    "table inet filter {",
    "\tset vendors {",
    "\t\ttype ipv4_addr",
    "\t\tflags interval",
    "\t\telements = { 198.51.100.0/24,",
    ...elements,
    "\t}",
    "\tchain input {",
    "\t\ttype filter hook input priority filter; policy drop;",
    "\t\tct state established,related accept",
    '\t\tiif "lo" accept',
    "\t\tip saddr @vendors tcp dport 443 accept",
    ...rules,
    "\t}",
    "}",
  ].join("\n") + "\n";
};

sampleGenerators.nginx = (lines, seed) => {
  const next = samplePrng(seed);
  return linuxSample(lines, ["server {", "    listen 443 ssl;", "    location /webhooks {"], ["        deny all;", "    }", "}"], (i) => {
    const { v4, v4net, v6net } = linuxSampleAddresses(next);
    return [i % 9 === 0 ? `        deny ${v4};` : `        allow ${i % 4 === 0 ? v6net : v4net};`];
  });
};

sampleGenerators.apache = (lines, seed) => {
  const next = samplePrng(seed);
  return linuxSample(lines, ['<Location "/webhooks">', "    <RequireAll>", "        Require all granted"], ["    </RequireAll>", "</Location>"], (i) => {
    const { v4, v4net, v6net } = linuxSampleAddresses(next);
    return [i % 9 === 0 ? `        Require not ip ${v4}` : `        Require ip ${v4net} ${v6net}`];
  });
};

sampleGenerators.haproxy = (lines, seed) => {
  const next = samplePrng(seed);
  return linuxSample(
    lines,
    ["frontend fe_https", "    bind :443 ssl crt /etc/haproxy/site.pem"],
    ["    http-request deny if !vendors", "    default_backend be_app"],
    (i) => {
      const { v4, v4net, v6net } = linuxSampleAddresses(next);
      return [i % 9 === 0 ? `    http-request deny if { src ${v4} }` : `    acl vendors src ${v4net} ${v6net}`];
    },
  );
};

/** A JSON array of `count` items; each item a few lines, so `lines` lines come to about lines/perItem items. */
function linuxJsonSample(lines: number, perItem: number, item: (i: number) => unknown): string {
  const items: unknown[] = [];
  for (let i = 0; i < Math.max(1, Math.floor(lines / perItem)); i++) items.push(item(i));
  return JSON.stringify(items, null, 2) + "\n";
}

sampleGenerators["aws-sg"] = (lines, seed) => {
  const next = samplePrng(seed);
  const perms = linuxJsonSample(lines, 15, (i) => {
    const { v4net, v6net } = linuxSampleAddresses(next);
    return { FromPort: 443, IpProtocol: "tcp", IpRanges: [{ CidrIp: v4net, Description: `r${i}` }], Ipv6Ranges: [{ CidrIpv6: v6net }], ToPort: 443 };
  });
  return `{\n"SecurityGroups": [\n{\n"GroupName": "webhooks",\n"IpPermissions": ${perms},\n"IpPermissionsEgress": []\n}\n]\n}\n`;
};

sampleGenerators["aws-prefix-list"] = (lines, seed) => {
  const next = samplePrng(seed);
  return `{\n"Entries": ${linuxJsonSample(lines, 4, (i) => ({ Cidr: linuxSampleAddresses(next).v4net, Description: `e${i}` }))}}\n`;
};

sampleGenerators["azure-nsg"] = (lines, seed) => {
  const next = samplePrng(seed);
  return linuxJsonSample(lines, 14, (i) => {
    const { v4, v4net, v6net } = linuxSampleAddresses(next);
    return {
      access: i % 9 === 0 ? "Deny" : "Allow",
      destinationAddressPrefix: "*",
      destinationPortRange: "443",
      direction: "Inbound",
      name: `rule-${i}`,
      priority: 100 + (i % 3900),
      protocol: "Tcp",
      sourceAddressPrefixes: [v4net, v6net, v4],
      sourcePortRange: "*",
    };
  });
};

sampleGenerators.gcp = (lines, seed) => {
  const next = samplePrng(seed);
  return linuxJsonSample(lines, 20, (i) => {
    const { v4, v4net } = linuxSampleAddresses(next);
    return {
      [i % 9 === 0 ? "denied" : "allowed"]: [{ IPProtocol: "tcp", ports: ["443", "8000-8080"] }],
      direction: "INGRESS",
      kind: "compute#firewall",
      name: `fw-${i}`,
      priority: 1000 + (i % 50),
      sourceRanges: [v4net, `${v4}/32`],
      targetTags: ["webhooks"],
    };
  });
};

// ---- plain and CSV lists (the bench compares every format against these) ----

sampleGenerators.plain = (lines, seed) => {
  const next = samplePrng(seed);
  const out: string[] = ["# Allowlist export"];
  for (let i = 1; i < lines; i++) {
    const { v4, v4net, v6net } = linuxSampleAddresses(next);
    out.push(i % 10 === 0 ? `${v6net} # office ${i}` : i % 3 === 0 ? v4net : v4);
  }
  return out.join("\n") + "\n";
};

sampleGenerators.csv = (lines, seed) => {
  const next = samplePrng(seed);
  const out: string[] = ["name,ip,comment"];
  for (let i = 1; i < lines; i++) {
    const { v4, v4net, v6net } = linuxSampleAddresses(next);
    out.push(`host-${i},${i % 10 === 0 ? v6net : i % 3 === 0 ? v4net : v4},"site ${i % 17}, rack ${i % 5}"`);
  }
  return out.join("\n") + "\n";
};

// ---- host and SMB firewalls (issue 17): their own file, registered here ----
import { hostSampleGenerators } from "./hosts.samples";
Object.assign(sampleGenerators, hostSampleGenerators);
