/**
 * Realistic iptables and nftables configs with the exact verdict for a new inbound TCP connection (a SYN) to port 443,
 * one test per rule of evaluation, each citing where the kernel's behaviour is documented. The random differential
 * tests against the kernel (kernel.test.ts) check the same rules on generated rulesets.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "../../ip";
import { diff } from "../../diff/engines/objects";
import { trace } from "../../diff/trace";
import type { PublishedEntry } from "../../catalog/types";
import type { ParseOptions, ParseOutput } from "../types";
import { parseIptables } from "./iptables";
import { parseNftables } from "./nftables";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const A = "52.1.37.96";
const B = "52.1.32.88";
const C = "3.74.148.8";

/** address → allowed, from the trace; and the diff must say the same (covered / missing). */
function verdicts(parsed: ParseOutput, addresses: readonly string[], port = 443): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const catalog: PublishedEntry[] = addresses.map((a) => ({
    cidr: `${a}/${a.includes(":") ? 128 : 32}`,
    region: "T",
    products: [],
  }));
  const d = diff(catalog, parsed, { port });
  for (const a of addresses) {
    out[a] = trace(parsed, mustParseAddress(a), { catalog: SEED_CATALOG, port }).allowed;
    const status = d.published.find((p) => p.entry.cidr.startsWith(`${a}/`))!.status;
    assert.equal(status === "covered", out[a], `diff and trace disagree on ${a}`);
  }
  return out;
}

const ipt = (text: string, options?: ParseOptions) => parseIptables(text, options);
const nft = (text: string, options?: ParseOptions) => parseNftables(text, options);

describe("iptables: the path of a new inbound connection", () => {
  // Docker's documented layout (docs.docker.com "Packet filtering and firewalls"): published ports are forwarded;
  // DOCKER-USER runs first, and a RETURN there hands the packet back to FORWARD (iptables(8), TARGETS: RETURN).
  const DOCKER_HOST = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-USER - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -j DOCKER-USER
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 443 -j ACCEPT
-A DOCKER-USER -s ${A}/32 -j RETURN
-A DOCKER-USER -s ${B}/32 -j RETURN
-A DOCKER-USER -i eth0 -j DROP
-A DOCKER-USER -j RETURN
COMMIT
`;

  test("a Docker host: the forward path is detected, RETURN goes back to FORWARD, eth0 is the Internet side", () => {
    const parsed = ipt(DOCKER_HOST);
    assert.equal(parsed.path?.kind, "forward");
    assert.equal(parsed.path?.ingress, "eth0");
    assert.equal(
      parsed.path?.assumption,
      "Read as a new TCP connection forwarded to a service behind this host (FORWARD), since FORWARD holds the rules for outside sources and ports and INPUT only host management; use --path input if the service is the host itself. The Internet is assumed to arrive on eth0, the interface the rules name; --ingress changes it.",
    );
    assert.deepEqual(verdicts(parsed, [A, B, C]), { [A]: true, [B]: true, [C]: false });
    const t = trace(parsed, mustParseAddress(C), { catalog: SEED_CATALOG });
    assert.equal(t.summary, `${C} → TCP 443: blocked by line 17 in filter FORWARD.`);
    // The same paste read for the host itself: only ssh from 10/8 gets in.
    assert.deepEqual(verdicts(ipt(DOCKER_HOST, { path: "input" }), [A, B, C]), { [A]: false, [B]: false, [C]: false });
    // Another ingress: the DROP for eth0 no longer applies.
    assert.deepEqual(verdicts(ipt(DOCKER_HOST, { ingress: "ens5" }), [A, B, C]), { [A]: true, [B]: true, [C]: true });
  });

  test("INPUT and FORWARD are two paths, never one sequence (netfilter packet flow: a packet for this host never crosses FORWARD)", () => {
    const text = `*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n-A INPUT -s ${A} -p tcp --dport 443 -j ACCEPT\n-A FORWARD -s ${B} -j DROP\nCOMMIT\n`;
    const input = ipt(text, { path: "input" });
    assert.deepEqual(verdicts(input, [A, B, C]), { [A]: true, [B]: false, [C]: false });
    assert.deepEqual(
      diff([{ cidr: `${B}/32`, region: "T", products: [] }], input).entries.map((v) => [v.line, v.status, v.message]),
      [
        [4, "unrelated", "Not a published NAT IP of T: it does not matter for these webhooks."],
        [
          5,
          "inactive",
          "filter FORWARD is not on the path: the service is read as this host itself (input path), not a host behind it",
        ],
      ],
    );
    assert.deepEqual(verdicts(ipt(text, { path: "forward" }), [A, B, C]), { [A]: true, [B]: false, [C]: true });
  });

  test("conntrack: a SYN is NEW; ESTABLISHED-only rules are never met and INVALID does not drop it (iptables-extensions(8), conntrack)", () => {
    const text = `*filter
:INPUT DROP [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -m state --state INVALID -j DROP
-A INPUT -s ${A} -p tcp -m conntrack --ctstate NEW -m tcp --dport 443 -j ACCEPT
-A INPUT -s ${B} -p tcp --syn -j ACCEPT
-A INPUT -s ${C} -p tcp --tcp-flags SYN,ACK SYN,ACK -j ACCEPT
COMMIT
`;
    const parsed = ipt(text);
    assert.deepEqual(verdicts(parsed, [A, B, C]), { [A]: true, [B]: true, [C]: false });
    assert.deepEqual(
      trace(parsed, mustParseAddress(C), { catalog: SEED_CATALOG }).contexts[0]!.steps.map((s) => [
        s.line,
        s.matched,
        s.why,
      ]),
      [
        [3, false, "only RELATED,ESTABLISHED"],
        [4, false, "only INVALID"],
        [7, false, "TCP flags SYN,ACK SYN,ACK: a SYN does not match"],
      ],
    );
  });

  test("interfaces: lo, docker0, tunnels and -o on INPUT are not met by Internet traffic; ! -i lo is (iptables(8), -i/-o)", () => {
    const text = `*filter
:INPUT DROP [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -i docker0 -s ${A} -j ACCEPT
-A INPUT -i wg0 -s ${B} -j ACCEPT
-A INPUT -o eth0 -s ${C} -j ACCEPT
-A INPUT ! -i lo -s ${B} -p tcp --dport 443 -j ACCEPT
COMMIT
`;
    const parsed = ipt(text);
    assert.deepEqual(verdicts(parsed, [A, B, C]), { [A]: false, [B]: true, [C]: false });
    assert.deepEqual(
      diff([{ cidr: `${A}/32`, region: "T", products: [] }], parsed)
        .entries.slice(0, 4)
        .map((v) => v.message),
      [
        "Never met by a new inbound connection: only traffic arriving on lo, not from the Internet.",
        "Never met by a new inbound connection: only traffic arriving on docker0, not from the Internet.",
        "Never met by a new inbound connection: only traffic arriving on wg0, not from the Internet.",
        "Never met by a new inbound connection: -o eth0: a packet to this host has no output interface.",
      ],
    );
    // With the ingress named, a rule for that interface (or its wildcard) is met and another one is not.
    const named = ipt(
      `*filter\n:INPUT DROP [0:0]\n-A INPUT -i eth1 -s ${A} -j ACCEPT\n-A INPUT -i ens+ -s ${B} -j ACCEPT\nCOMMIT\n`,
      { ingress: "ens5" },
    );
    assert.deepEqual(verdicts(named, [A, B]), { [A]: false, [B]: true });
  });

  test("a conditional RETURN exactly: what it matches skips the rest of the chain, the rest still applies to others (iptables(8), RETURN)", () => {
    const text = `*filter
:INPUT ACCEPT [0:0]
:CHECK - [0:0]
-A INPUT -p tcp --dport 443 -j CHECK
-A INPUT -s ${B} -j DROP
-A CHECK -s 52.1.0.0/16 -p tcp --dport 400:500 -j RETURN
-A CHECK -s 52.0.0.0/8 -j DROP
-A CHECK -j ACCEPT
COMMIT
`;
    // A and B return from CHECK (443 is in 400:500): B then meets the DROP in INPUT, A the ACCEPT policy. C is accepted in CHECK.
    assert.deepEqual(verdicts(ipt(text), [A, B, C]), { [A]: true, [B]: false, [C]: true });
    // On port 22 the RETURN does not apply: the jump itself needs 443, so nothing of CHECK is met; B is dropped.
    assert.deepEqual(verdicts(ipt(text), [A, B, C], 22), { [A]: true, [B]: false, [C]: true });
  });

  test("a goto does not come back: the chain's end falls to the policy, not to the calling chain (iptables(8), --goto)", () => {
    const text = `*filter
:INPUT DROP [0:0]
:VENDOR - [0:0]
-A INPUT -s 52.1.0.0/16 -g VENDOR
-A INPUT -p tcp --dport 443 -j ACCEPT
-A VENDOR -s ${A} -j ACCEPT
COMMIT
`;
    assert.deepEqual(verdicts(ipt(text), [A, B, C]), { [A]: true, [B]: false, [C]: true });
  });

  test("mangle and raw chains can drop a SYN before filter; nat cannot; LOG decides nothing (netfilter packet flow)", () => {
    const text = `*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -s ${C} -j DROP
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
-A INPUT -s ${B} -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -s ${A} -p tcp --dport 443 -j DNAT --to-destination 10.0.0.2:443
COMMIT
*filter
:INPUT DROP [0:0]
-A INPUT -j LOG --log-prefix "in: "
-A INPUT -p tcp --dport 443 -j ACCEPT
COMMIT
`;
    const parsed = ipt(text);
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["raw PREROUTING", true],
        ["mangle PREROUTING", true],
        ["mangle INPUT", true],
        ["filter INPUT", true],
      ],
    );
    assert.deepEqual(verdicts(parsed, [A, B, C]), { [A]: true, [B]: false, [C]: false });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.message]),
      [
        [11, 'Table "nat" cannot drop a connection: its rules are not read.'],
        [
          12,
          "This DNAT (to 10.0.0.2:443) takes the connections of some sources only: they are forwarded there, so the FORWARD rules decide them, read for 10.0.0.2; an INPUT rule does not see them. The other sources stay addressed to this host.",
        ],
      ],
    );
  });

  test("ipsets of the same paste, negated too (ipset(8); iptables-extensions(8), set)", () => {
    const text = `create vendors hash:net family inet
add vendors 52.1.37.0/24
add vendors ${C}
*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp --dport 443 -m set ! --match-set vendors src -j DROP
COMMIT
`;
    assert.deepEqual(verdicts(ipt(text), [A, B, C]), { [A]: true, [B]: false, [C]: true });
  });

  test("a set of address and port pairs: src,dst matches the address and the destination port; too few flags never match (ipset(8) hash:ip,port; iptables-extensions(8), set)", () => {
    const text = `create hooks hash:ip,port family inet
add hooks ${A},tcp:443
add hooks ${B},tcp:22
*filter
:INPUT DROP [0:0]
-A INPUT -m set --match-set hooks src,dst -j ACCEPT
-A INPUT -s ${C} -m set --match-set hooks src -j ACCEPT
COMMIT
`;
    assert.deepEqual(verdicts(ipt(text), [A, B, C]), { [A]: true, [B]: false, [C]: false });
    assert.deepEqual(verdicts(ipt(text), [A, B, C], 22), { [A]: false, [B]: true, [C]: false });
    assert.equal(
      trace(ipt(text), mustParseAddress(C), { catalog: SEED_CATALOG }).contexts[0]!.steps[0]!.why,
      "set hooks (hash:ip,port) is matched with 1 of its 2 dimensions",
    );
  });

  test("a match the reader cannot decide: an ACCEPT with it is not counted on, a DROP is", () => {
    const text = `*filter\n:INPUT DROP [0:0]\n-A INPUT -s ${A} -m geoip --src-cc US -j ACCEPT\n-A INPUT -s ${B} -p tcp --dport 443 -j ACCEPT\nCOMMIT\n`;
    const parsed = ipt(text);
    assert.deepEqual(verdicts(parsed, [A, B]), { [A]: false, [B]: true });
    assert.deepEqual(
      parsed.findings.map((f) => f.message),
      [
        '"-m geoip --src-cc" is not decided for a new connection from the Internet: an ACCEPT with it is not counted on, a DROP is.',
      ],
    );
  });
});

describe("nftables: every base chain on the hook, by priority", () => {
  test("an accept ends only its own base chain; another table's drop policy still applies (nft(8), VERDICT STATEMENT; wiki: Configuring chains)", () => {
    const text = `table inet allowlist {
	chain input {
		type filter hook input priority -10; policy accept;
		ip saddr { ${A}, ${B}, ${C} } tcp dport 443 accept
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ip saddr ${B} accept
	}
}
`;
    const parsed = nft(text);
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.fallthrough, c.onPath]),
      [
        ["inet allowlist input (hook input, priority -10)", "allow", true],
        ["inet filter input (hook input, priority 0)", "deny", true],
      ],
    );
    assert.deepEqual(verdicts(parsed, [A, B, C]), { [A]: false, [B]: true, [C]: false });
    assert.equal(
      trace(parsed, mustParseAddress(A), { catalog: SEED_CATALOG }).summary,
      `${A} → TCP 443: blocked — no rule of inet filter input (hook input, priority 0) (line 9) matches, and its default is deny.`,
    );
  });

  test("a table of family ip does not see IPv6, and ip6 not IPv4 (nft(8), ADDRESS FAMILIES)", () => {
    const text = `table ip6 v6only {
	chain input {
		type filter hook input priority 0; policy drop;
	}
}
table inet filter {
	chain input {
		type filter hook input priority 10; policy accept;
	}
}
`;
    assert.deepEqual(verdicts(nft(text), [A, "2406:da00:ff00::1"]), { [A]: true, "2406:da00:ff00::1": false });
  });

  test("ct state before conntrack: at priority raw on prerouting a new connection has no state yet (nft wiki: Netfilter hooks, priority)", () => {
    const text = `table inet raw {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		ct state invalid drop
	}
}
table inet filter {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ct state invalid drop
	}
}
`;
    assert.deepEqual(verdicts(nft(text), [A]), { [A]: false });
    assert.deepEqual(verdicts(nft(text.replace("priority raw", "priority mangle - 10")), [A]), { [A]: true });
  });

  test("verdict maps, jump/goto/return and concatenations (nft(8), MAPS, CONCATENATIONS)", () => {
    const text = `table inet filter {
	set partners {
		type ipv4_addr . inet_service
		elements = { ${B} . 443, ${C} . 22 }
	}
	chain input {
		type filter hook input priority 0; policy drop;
		ct state vmap { established : accept, related : accept, invalid : drop }
		ip saddr vmap { ${A} : jump vendor, 3.0.0.0/8 : goto others }
		ip saddr . tcp dport @partners accept
	}
	chain vendor {
		tcp dport != 443 return
		accept
	}
	chain others {
		return
	}
}
`;
    const parsed = nft(text);
    assert.deepEqual(verdicts(parsed, [A, B, C]), { [A]: true, [B]: true, [C]: false });
    assert.deepEqual(verdicts(parsed, [A, B, C], 22), { [A]: false, [B]: false, [C]: false });
  });

  test("an ingress hook bound to another device does not see the Internet's traffic (nft(8), NETDEV)", () => {
    const text = `table netdev edge {
	chain in {
		type filter hook ingress device "eth1" priority 0; policy drop;
	}
}
table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		iifname "eth0" tcp dport 443 accept
	}
}
`;
    const parsed = nft(text);
    assert.equal(parsed.path?.ingress, "eth0");
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.onPath, c.reason]),
      [
        [false, "it only sees traffic arriving on eth1"],
        [true, "every connection to this host crosses the input hook"],
      ],
    );
    assert.deepEqual(verdicts(parsed, [A]), { [A]: true });
    assert.deepEqual(verdicts(nft(text, { ingress: "eth1" }), [A]), { [A]: false });
  });

  test("an expression the reader does not know is a finding, never 'matches anything'", () => {
    const text = `table inet filter {
	chain input {
		type filter hook input priority 0; policy drop;
		ip saddr ${A} osf name "Linux" accept
		ip saddr ${B} accept
	}
}
`;
    const parsed = nft(text);
    assert.deepEqual(verdicts(parsed, [A, B]), { [A]: false, [B]: true });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.message]),
      [
        [
          4,
          '"osf name Linux" is not decided for a new connection from the Internet: an accept with it is not counted on, a drop is.',
        ],
      ],
    );
  });
});
