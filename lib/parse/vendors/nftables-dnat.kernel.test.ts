/**
 * dnat before the filter hooks, against the kernel: rulesets are loaded with nft -f into the throwaway lab of
 * lib/testing/netns.ts, whose host behind holds the container address 172.17.0.2 (the lab's out link stands for
 * docker0), and real TCP connections from published addresses go to the server's port 443. A dnat of nat prerouting
 * runs before the routing decision (nft(8) NAT STATEMENTS; priority dstnat), so a dnatted connection crosses the
 * forward hook, not input, and "ct status dnat" holds for it (nft(8) CONNTRACK EXPRESSIONS: the status bits; the
 * kernel sets IPS_DST_NAT when it rewrites the destination). The kernel's verdicts must equal our trace, our trace of
 * the kernel's nft list ruleset, and the diff.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkCase } from "../../testing/kernel";
import { Lab, labMissing } from "../../testing/netns";
import type { ParseOptions } from "../types";
import { parseNftables } from "./nftables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;

const SOURCES = ["52.1.37.96", "52.1.32.88", "18.208.240.77", "52.201.75.8"];

/** Every connection to 443 dnatted to the container; an input allowlist the admin meant for it; forward accepts dnat. */
const DNAT_INPUT_ALLOWLIST = `table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "eth0" tcp dport 443 dnat to 172.17.0.2:443
	}
}
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		tcp dport 22 accept
		ip saddr { 52.1.37.96, 52.1.32.88 } tcp dport 443 accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		iifname "docker0" oifname "eth0" accept
		ct status dnat accept
	}
}
`;

/** firewalld's shape: rich rules forwarding port 443 of three sources to the container; "ct status dnat accept". */
const FIREWALLD_FORWARD_PORT = `table inet firewalld {
	chain nat_PREROUTING {
		type nat hook prerouting priority dstnat + 10; policy accept;
		jump nat_PREROUTING_ZONES
	}
	chain nat_PREROUTING_ZONES {
		iifname "eth0" goto nat_PRE_public
		goto nat_PRE_public
	}
	chain nat_PRE_public {
		jump nat_PRE_public_allow
	}
	chain nat_PRE_public_allow {
		ip saddr 52.1.37.96 meta nfproto ipv4 tcp dport 443 dnat ip to 172.17.0.2:443
		ip saddr 52.1.32.88 meta nfproto ipv4 tcp dport 443 dnat ip to 172.17.0.2:443
		ip saddr 18.208.240.77 meta nfproto ipv4 tcp dport 443 dnat ip to 172.17.0.2:443
	}
	chain filter_INPUT {
		type filter hook input priority filter + 10; policy accept;
		ct state { established, related } accept
		ct status dnat accept
		iifname "lo" accept
		ct state invalid drop
		tcp dport 22 ct state { new, untracked } accept
		reject with icmpx admin-prohibited
	}
	chain filter_FORWARD {
		type filter hook forward priority filter + 10; policy accept;
		ct state { established, related } accept
		ct status dnat accept
		iifname "lo" accept
		ct state invalid drop
		oifname "eth0" accept
		reject with icmpx admin-prohibited
	}
}
`;

describe("nftables dnat before the filter hooks: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x47n", SOURCES, ["172.17.0.2"]);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  /** Loads `rules` (eth0 and docker0 renamed to the lab's links) and checks every source against `open`. */
  async function check(rules: string, options: ParseOptions, open: readonly string[]): Promise<void> {
    const text = rules.replaceAll("docker0", lab.names.outIf).replaceAll("eth0", lab.names.inIf);
    const loaded = lab.load({ "rules.nft": text }, "nft -f rules.nft");
    assert.equal(loaded.ok, true, loaded.out);
    // The connections go to the server's address (SERVER4), where the DNAT takes them: not the host behind.
    const r = await checkCase(
      lab,
      parseNftables(text, options),
      SOURCES,
      false,
      parseNftables(lab.read("nft list ruleset"), options),
    );
    assert.deepEqual(r.expected, open, "our trace");
    assert.deepEqual(r.actual, open, "the kernel");
    assert.deepEqual(r.diffDisagrees, [], "the diff");
    assert.deepEqual(r.listingDisagrees, [], "our trace of the kernel's nft list ruleset");
  }

  test("every connection dnatted to another host: the forward hook decides, the input allowlist is not crossed", async () => {
    await check(DNAT_INPUT_ALLOWLIST, { ingress: lab.names.inIf }, SOURCES);
    assert.equal(
      parseNftables(DNAT_INPUT_ALLOWLIST).path?.assumption,
      "Read as a new TCP connection forwarded to a service behind this host (hooks ingress, prerouting, forward), since nat prerouting line 4 DNATs TCP 443 to 172.17.0.2:443: the connection is forwarded; use --path input if the service is the host itself. Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress.",
    );
  });

  for (const path of [undefined, "forward"] as const)
    test(`firewalld's forward port of three sources: "ct status dnat" holds for them, not the others (${path ?? "path detected"})`, async () => {
      const options = { ingress: lab.names.inIf, ...(path ? { path } : {}) };
      await check(FIREWALLD_FORWARD_PORT, options, ["52.1.37.96", "52.1.32.88", "18.208.240.77"]);
    });
});
