/**
 * DNAT before the filter chains, against the kernel: rulesets are loaded with iptables-restore into the throwaway lab
 * of lib/testing/netns.ts, whose host behind holds the container address 172.17.0.2 (the lab's out link stands for
 * docker0), and real TCP connections from published addresses go to the server's port 443. nat PREROUTING runs before
 * the routing decision (iptables(8): it alters packets "as soon as they come in"), so a DNATed connection crosses
 * FORWARD, not INPUT (Docker docs, https://docs.docker.com/engine/network/firewall-iptables/: published ports are
 * filtered in DOCKER-USER / FORWARD); "-m conntrack --ctstate DNAT" holds for it (iptables-extensions(8): "a virtual
 * state, matching if the original destination differs from the reply source"). The kernel's verdicts must equal our
 * trace, our trace of the kernel's iptables-save, and the diff.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkCase } from "../../testing/kernel";
import { Lab, labMissing } from "../../testing/netns";
import type { ParseOptions } from "../types";
import { parseIptables } from "./iptables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;

const SOURCES = ["52.1.37.96", "52.1.32.88", "18.208.240.77"];

/** Docker publishing port 443 of a container, and an INPUT allowlist (policy DROP) the admin meant for it. */
const DOCKER_INPUT_ALLOWLIST = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 443 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 172.17.0.2:443
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-USER - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s 52.1.32.88/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A FORWARD -j DOCKER-USER
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 443 -j ACCEPT
-A DOCKER-USER -j RETURN
COMMIT
`;

/** Two sources DNATed to the container; FORWARD accepts what a DNAT took; INPUT drops the rest. */
const DNAT_BY_SOURCE = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -s 52.1.37.96/32 -i eth0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 172.17.0.2:443
-A PREROUTING -s 52.1.32.88/32 -i eth0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 172.17.0.2:443
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -o docker0 -m conntrack --ctstate DNAT -j ACCEPT
COMMIT
`;

describe("iptables DNAT before the filter chains: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x46t", SOURCES, ["172.17.0.2"]);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  /** Loads `rules` (eth0 and docker0 renamed to the lab's links) and checks every source against `open`. */
  async function check(rules: string, options: ParseOptions, open: readonly string[]): Promise<void> {
    const text = rules.replaceAll("docker0", lab.names.outIf).replaceAll("eth0", lab.names.inIf);
    const loaded = lab.load({ "rules.v4": text }, "iptables-restore < rules.v4");
    assert.equal(loaded.ok, true, loaded.out);
    // The connections go to the server's address (SERVER4), where the DNAT takes them: not the host behind.
    const r = await checkCase(
      lab,
      parseIptables(text, options),
      SOURCES,
      false,
      parseIptables(lab.read("iptables-save"), options),
    );
    assert.deepEqual(r.expected, open, "our trace");
    assert.deepEqual(r.actual, open, "the kernel");
    assert.deepEqual(r.diffDisagrees, [], "the diff");
    assert.deepEqual(r.listingDisagrees, [], "our trace of the kernel's iptables-save");
  }

  test("Docker's published port: every source is DNATed and forwarded, the INPUT allowlist is not crossed", async () => {
    await check(DOCKER_INPUT_ALLOWLIST, { ingress: lab.names.inIf }, SOURCES);
    const parsed = parseIptables(DOCKER_INPUT_ALLOWLIST);
    assert.equal(
      parsed.path?.assumption,
      "Read as a new TCP connection forwarded to a service behind this host (FORWARD), since nat PREROUTING line 12 DNATs TCP 443 to 172.17.0.2:443: the connection is forwarded; use --path input if the service is the host itself. Rules only for loopback, container, bridge or VPN interfaces are read as not met by Internet traffic; name the Internet-facing interface with --ingress.",
    );
  });

  for (const path of [undefined, "forward"] as const)
    test(`a DNAT of some sources: --ctstate DNAT holds for the connections it took, not the others (${path ?? "path detected"})`, async () => {
      const options = { ingress: lab.names.inIf, ...(path ? { path } : {}) };
      await check(DNAT_BY_SOURCE, options, ["52.1.37.96", "52.1.32.88"]);
    });
});
