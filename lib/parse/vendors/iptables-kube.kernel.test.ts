/**
 * kube-proxy's loadBalancerSourceRanges against the kernel: the rules kube-proxy (iptables mode) writes for a
 * LoadBalancer Service with spec.loadBalancerSourceRanges are loaded with iptables-restore into the throwaway lab of
 * lib/testing/netns.ts, and real TCP connections from published addresses inside and outside the ranges are made to
 * the load balancer IP on port 443. The kernel's verdicts must equal our trace and diff, read from the text loaded and
 * from the kernel's own iptables-save.
 *
 * The rules are those of kubernetes/kubernetes pkg/proxy/iptables/proxier.go (syncProxyRules, the release-1.30 line:
 * KUBE-PROXY-FIREWALL, KUBE-EXT-/KUBE-FW- chains, nfacct), for Service default/webhooks, port "https" 443/TCP, node
 * port 31443, cluster IP 10.96.120.15, load balancer IP 198.18.0.1 (the lab's server address, local to the node as on
 * a cloud that routes the VIP to it), one endpoint 198.18.1.2:443 (the lab's host behind, standing for the pod):
 * - iptablesJumpChains: the jumps from INPUT, FORWARD and OUTPUT (filter) and PREROUTING, OUTPUT, POSTROUTING (nat),
 *   each put first with "iptables -I" (written here as the order iptables-save lists them);
 * - "Capture load-balancer ingress": "-A KUBE-SERVICES … -d LBIP --dport 443 -j KUBE-FW-…" and, with
 *   loadBalancerSourceRanges, "-A KUBE-PROXY-FIREWALL … traffic not accepted by KUBE-FW-… -d LBIP --dport 443 -j DROP";
 * - "Set up firewall chain": one "-A KUBE-FW-… -s CIDR -j KUBE-EXT-…" per range, then the comment-only rule
 *   "other traffic to … will be dropped by KUBE-PROXY-FIREWALL" (a packet that reaches it was not DNATed);
 * - chain names: KUBE-SVC-/KUBE-EXT-/KUBE-FW- + the first 16 base32 characters of sha256("default/webhooks:https" +
 *   "tcp"); KUBE-SEP- of sha256(… + "198.18.1.2:443") (portProtoHash, servicePortEndpointChainName).
 * Only the first packet of a connection crosses nat: the DNAT to the pod happens before the routing decision, so the
 * ranges' connections are forwarded (FORWARD, where the KUBE-PROXY-FIREWALL drop for the LB IP no longer matches) and
 * the others stay addressed to the node (INPUT, where it drops them).
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { Lab, labMissing } from "../../testing/netns";
import { checkCase } from "../../testing/kernel";
import { parseIptables } from "./iptables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;

/** kube-proxy's hash of a chain: the first 16 characters of base32(sha256(text)) (portProtoHash). */
function hash16(text: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of createHash("sha256").update(text).digest()) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
const SVC = "default/webhooks:https";
const H = hash16(`${SVC}tcp`);
/** loadBalancerSourceRanges: two US and four EU published addresses of the seed catalog. */
const RANGES = ["52.1.37.96/32", "18.208.240.77/32", "3.74.148.8/30"];
const INSIDE = ["52.1.37.96", "18.208.240.77", "3.74.148.8", "3.74.148.11"];
/** Published addresses outside the ranges, and 3.74.148.12 just past the /30. */
const OUTSIDE = ["52.1.32.88", "44.206.73.232", "18.184.146.22", "3.74.148.12"];

/**
 * kube-proxy's iptables-restore input (filter, then nat, as syncProxyRules writes them), with the jump rules, for the
 * endpoints given (sorted, as kube-proxy lists them): each but the last is picked with "-m statistic --mode random
 * --probability 1/n" (writeServiceToEndpointRules).
 */
function kubeProxyRules(endpoints: readonly string[]): string {
  const sep = (ep: string) => `KUBE-SEP-${hash16(`${SVC}tcp${ep}`)}`;
  const svc = endpoints.map((ep, i) => {
    const n = endpoints.length - i;
    const pick = n > 1 ? ` -m statistic --mode random --probability ${(1 / n).toFixed(10)}` : "";
    return `-A KUBE-SVC-${H} -m comment --comment "${SVC} -> ${ep}"${pick} -j ${sep(ep)}`;
  });
  const seps = endpoints.flatMap((ep) => [
    `-A ${sep(ep)} -m comment --comment ${SVC} -s ${ep.split(":")[0]} -j KUBE-MARK-MASQ`,
    `-A ${sep(ep)} -m comment --comment ${SVC} -m tcp -p tcp -j DNAT --to-destination ${ep}`,
  ]);
  return `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-FIREWALL - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -j KUBE-FIREWALL
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-PROXY-FIREWALL -m comment --comment "default/webhooks:https traffic not accepted by KUBE-FW-${H}" -m tcp -p tcp -d 198.18.0.1 --dport 443 -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-${H} - [0:0]
:KUBE-EXT-${H} - [0:0]
:KUBE-FW-${H} - [0:0]
${endpoints.map((ep) => `:${sep(ep)} - [0:0]`).join("\n")}
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/webhooks:https cluster IP" -m tcp -p tcp -d 10.96.120.15 --dport 443 -j KUBE-SVC-${H}
-A KUBE-SERVICES -m comment --comment "default/webhooks:https loadbalancer IP" -m tcp -p tcp -d 198.18.0.1 --dport 443 -j KUBE-FW-${H}
-A KUBE-NODEPORTS -m comment --comment default/webhooks:https -m tcp -p tcp --dport 31443 -j KUBE-EXT-${H}
-A KUBE-SVC-${H} -m comment --comment "default/webhooks:https cluster IP" -m tcp -p tcp -d 10.96.120.15 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-EXT-${H} -m comment --comment "masquerade traffic for default/webhooks:https external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-${H} -j KUBE-SVC-${H}
${RANGES.map((r) => `-A KUBE-FW-${H} -m comment --comment "default/webhooks:https loadbalancer IP" -s ${r} -j KUBE-EXT-${H}`).join("\n")}
-A KUBE-FW-${H} -m comment --comment "other traffic to default/webhooks:https will be dropped by KUBE-PROXY-FIREWALL"
${svc.join("\n")}
${seps.join("\n")}
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
`;
}

const KUBE_PROXY_RULES = kubeProxyRules(["198.18.1.2:443"]);

describe("kube-proxy's loadBalancerSourceRanges: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x31k", [...INSIDE, ...OUTSIDE], ["10.244.1.5"]);
    lab.firstSource = INSIDE[0];
    await lab.ready();
  });
  after(() => lab?.close());

  test("the ranges reach the pod through the DNAT; the other sources are dropped on the load balancer IP", async () => {
    const loaded = lab.load({ "rules.v4": KUBE_PROXY_RULES }, "iptables-restore < rules.v4");
    assert.equal(loaded.ok, true, loaded.out);
    const listing = lab.read("iptables-save");
    const sources = [...INSIDE, ...OUTSIDE];
    // To the load balancer IP (the lab's server address), read as the node's own address (input path, detected).
    const r = await checkCase(lab, parseIptables(KUBE_PROXY_RULES), sources, false, parseIptables(listing));
    assert.deepEqual(r.expected, INSIDE, "our trace");
    assert.deepEqual(r.actual, INSIDE, "the kernel");
    assert.deepEqual(r.diffDisagrees, []);
    assert.deepEqual(r.listingDisagrees, []);
  });

  test("with FORWARD's policy DROP the ranges are let through by KUBE-FORWARD's rule for the mark KUBE-EXT set", async () => {
    // KUBE-EXT-… jumps to KUBE-MARK-MASQ ("-j MARK --or-mark 0x4000") before the DNAT; KUBE-FORWARD accepts
    // "-m mark --mark 0x4000/0x4000" ("this allows NodePort traffic to be forwarded even if the default FORWARD policy
    // is not accept", proxier.go). Docker sets FORWARD's policy to DROP on such nodes.
    const text = KUBE_PROXY_RULES.replace(":FORWARD ACCEPT [0:0]", ":FORWARD DROP [0:0]");
    const loaded = lab.load({ "rules.v4": text }, "iptables-restore < rules.v4");
    assert.equal(loaded.ok, true, loaded.out);
    const listing = lab.read("iptables-save");
    const r = await checkCase(lab, parseIptables(text), [...INSIDE, ...OUTSIDE], false, parseIptables(listing));
    assert.deepEqual(r.expected, INSIDE, "our trace");
    assert.deepEqual(r.actual, INSIDE, "the kernel");
    assert.deepEqual(r.diffDisagrees, []);
    assert.deepEqual(r.listingDisagrees, []);
  });

  test("with two endpoints, picked at random, the ranges reach one of the pods and the others are dropped", async () => {
    const text = kubeProxyRules(["10.244.1.5:443", "198.18.1.2:443"]);
    const loaded = lab.load({ "rules.v4": text }, "iptables-restore < rules.v4");
    assert.equal(loaded.ok, true, loaded.out);
    const listing = lab.read("iptables-save");
    const r = await checkCase(lab, parseIptables(text), [...INSIDE, ...OUTSIDE], false, parseIptables(listing));
    assert.deepEqual(r.expected, INSIDE, "our trace");
    assert.deepEqual(r.actual, INSIDE, "the kernel");
    assert.deepEqual(r.diffDisagrees, []);
    assert.deepEqual(r.listingDisagrees, []);
  });

  test("without KUBE-PROXY-FIREWALL's drop the other sources reach the node itself: the drop is what blocks them", async () => {
    const open = KUBE_PROXY_RULES.split("\n")
      .filter((l) => !l.startsWith("-A KUBE-PROXY-FIREWALL "))
      .join("\n");
    const loaded = lab.load({ "rules.v4": open }, "iptables-restore < rules.v4");
    assert.equal(loaded.ok, true, loaded.out);
    const r = await checkCase(lab, parseIptables(open), [...INSIDE, ...OUTSIDE], false);
    assert.deepEqual(r.expected, [...INSIDE, ...OUTSIDE], "our trace");
    assert.deepEqual(r.actual, [...INSIDE, ...OUTSIDE], "the kernel");
    assert.deepEqual(r.diffDisagrees, []);
  });
});
