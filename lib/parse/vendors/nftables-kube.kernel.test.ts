/**
 * kube-proxy in nftables mode against the kernel: the rules it writes for a LoadBalancer Service with
 * spec.loadBalancerSourceRanges (kubernetes/kubernetes pkg/proxy/nftables/proxier.go, as its proxier_test.go prints
 * them: a map "firewall-ips" keyed by "ip daddr . meta l4proto . th dport" whose element sends the load balancer IP's
 * connections to a chain that drops every source outside the ranges) are loaded with nft -f into the throwaway lab of
 * lib/testing/netns.ts, and real TCP connections are made from published addresses inside and outside the ranges to
 * the load balancer IP (the lab's server address) on port 443. The kernel's verdicts must equal our trace and diff,
 * read from the text loaded and from the kernel's own listing. The concatenated key was not read ("tcp" is not a
 * port), the firewall chain looked unreached, and every address read as allowed.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { checkCase } from "../../testing/kernel";
import { Lab, labMissing, SERVER4 } from "../../testing/netns";
import { parseNftables } from "./nftables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;
const US = SEED_CATALOG.filter((e) => e.region === "US").map((e) => e.cidr.replace("/32", ""));
const INSIDE = US.slice(0, 2);
const OUTSIDE = US.slice(2, 5);

const KUBE_PROXY = `table ip kube-proxy {
	comment "rules for kube-proxy"
	map firewall-ips {
		type ipv4_addr . inet_proto . inet_service : verdict
		comment "destinations that are subject to LoadBalancerSourceRanges"
		elements = { ${SERVER4} . tcp . 443 : goto firewall-HVFWP5L3-web/webhook/tcp/https }
	}
	chain filter-prerouting-pre-dnat {
		type filter hook prerouting priority dstnat - 10; policy accept;
		ct state new jump firewall-check
	}
	chain firewall-check {
		ip daddr . meta l4proto . th dport vmap @firewall-ips
	}
	chain firewall-HVFWP5L3-web/webhook/tcp/https {
		ip saddr != { ${INSIDE.join(", ")} } drop
	}
}
`;

describe("kube-proxy (nftables mode) loadBalancerSourceRanges: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x45k", [...INSIDE, ...OUTSIDE]);
    lab.firstSource = INSIDE[0];
    await lab.ready();
  });
  after(() => lab?.close());

  test("only the ranges' sources reach the load balancer IP on 443", async () => {
    const loaded = lab.load({ "rules.nft": KUBE_PROXY }, "nft -f rules.nft");
    assert.equal(loaded.ok, true, loaded.out);
    const r = await checkCase(
      lab,
      parseNftables(KUBE_PROXY),
      [...INSIDE, ...OUTSIDE],
      false,
      parseNftables(lab.read("nft list ruleset")),
    );
    assert.deepEqual(r.expected, INSIDE, "our trace");
    assert.deepEqual(r.actual, INSIDE, "the kernel");
    assert.deepEqual(r.diffDisagrees, []);
    assert.deepEqual(r.listingDisagrees, []);
    assert.deepEqual(parseNftables(KUBE_PROXY).findings, []);
  });
});
