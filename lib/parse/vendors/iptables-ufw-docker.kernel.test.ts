/**
 * ufw-docker against the kernel: the iptables of a host running Docker, ufw and ufw-docker
 * (https://github.com/chaifeng/ufw-docker#solving-ufw-and-docker-issues: its after.rules block in DOCKER-USER, and
 * "ufw route allow proto tcp from SOURCE to CONTAINER port 443" for two containers) are loaded with iptables-restore
 * into the throwaway lab of lib/testing/netns.ts, whose host behind holds the containers' addresses 172.17.0.2 and
 * 172.17.0.3 (the lab's out link stands for docker0). Real TCP connections from published addresses go to the host's
 * published ports: 443 (Docker's DNAT to 172.17.0.2:443) and 8443 (to 172.17.0.3:443). The DNAT comes before FORWARD
 * (iptables(8): nat PREROUTING alters packets as soon as they come in), so FORWARD's "-d" rules see the container's
 * address: the kernel's verdicts must equal our trace, and the diff's, per port.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "../../ip/address";
import { diff } from "../../diff/engines/objects";
import { trace } from "../../diff/trace";
import { Lab, SERVER4, labMissing } from "../../testing/netns";
import { parseIptables } from "./iptables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;

/** Docker's nat and filter rules for two published containers, ufw's chains, and ufw-docker's after.rules block. */
const UFW_DOCKER_HOST = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 443 -j MASQUERADE
-A POSTROUTING -s 172.17.0.3/32 -d 172.17.0.3/32 -p tcp -m tcp --dport 443 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 443 -j DNAT --to-destination 172.17.0.2:443
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8443 -j DNAT --to-destination 172.17.0.3:443
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
:ufw-after-forward - [0:0]
:ufw-after-input - [0:0]
:ufw-before-forward - [0:0]
:ufw-before-input - [0:0]
:ufw-docker-logging-deny - [0:0]
:ufw-reject-forward - [0:0]
:ufw-reject-input - [0:0]
:ufw-user-forward - [0:0]
:ufw-user-input - [0:0]
-A INPUT -j ufw-before-input
-A INPUT -j ufw-after-input
-A INPUT -j ufw-reject-input
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A FORWARD -j ufw-before-forward
-A FORWARD -j ufw-after-forward
-A FORWARD -j ufw-reject-forward
-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 443 -j ACCEPT
-A DOCKER -d 172.17.0.3/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 443 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j ufw-user-forward
-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
-A DOCKER-USER -m conntrack --ctstate INVALID -j DROP
-A DOCKER-USER -i docker0 -o docker0 -j ACCEPT
-A DOCKER-USER -s 10.0.0.0/8 -j RETURN
-A DOCKER-USER -s 172.16.0.0/12 -j RETURN
-A DOCKER-USER -s 192.168.0.0/16 -j RETURN
-A DOCKER-USER -d 10.0.0.0/8 -m conntrack --ctstate NEW -j ufw-docker-logging-deny
-A DOCKER-USER -d 172.16.0.0/12 -m conntrack --ctstate NEW -j ufw-docker-logging-deny
-A DOCKER-USER -d 192.168.0.0/16 -m conntrack --ctstate NEW -j ufw-docker-logging-deny
-A DOCKER-USER -j RETURN
-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A ufw-before-forward -j ufw-user-forward
-A ufw-before-input -i lo -j ACCEPT
-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A ufw-before-input -j ufw-user-input
-A ufw-docker-logging-deny -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW DOCKER BLOCK] "
-A ufw-docker-logging-deny -j DROP
-A ufw-user-forward -s 52.1.37.96/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A ufw-user-forward -s 18.208.240.77/32 -d 172.17.0.3/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`;

const SOURCES = ["52.1.37.96", "18.208.240.77", "52.1.32.88"];

describe("ufw-docker: our verdicts equal the kernel's", { skip }, () => {
  let lab: Lab;
  before(async () => {
    assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
    lab = new Lab("x31u", SOURCES, ["172.17.0.2", "172.17.0.3"]);
    lab.firstSource = SOURCES[0];
    await lab.ready();
  });
  after(() => lab?.close());

  for (const [port, open] of [
    [443, ["52.1.37.96"]],
    [8443, ["18.208.240.77"]],
  ] as const) {
    test(`published port ${port}: ${open.join(", ")} reach the container, the other sources are dropped`, async () => {
      // docker0 is the lab's link to the host behind.
      const text = UFW_DOCKER_HOST.replaceAll("docker0", lab.names.outIf);
      const loaded = lab.load({ "rules.v4": text }, "iptables-restore < rules.v4");
      assert.equal(loaded.ok, true, loaded.out);
      const options = { path: "forward", ingress: lab.names.inIf, port } as const;
      const parsed = parseIptables(text, options);
      const listed = parseIptables(lab.read("iptables-save"), options);
      const ours = SOURCES.filter((s) => trace(parsed, mustParseAddress(s), { port }).allowed);
      const theirs = SOURCES.filter((s) => trace(listed, mustParseAddress(s), { port }).allowed);
      const catalog = SOURCES.map((s) => ({ cidr: `${s}/32`, region: "T", products: [] }));
      const covered = diff(catalog, parsed, { port })
        .published.filter((p) => p.status === "covered")
        .map((p) => p.entry.cidr.split("/")[0]!);
      const r = await lab.probe(
        ours.map((s) => [s, SERVER4] as const),
        SOURCES.filter((s) => !ours.includes(s)).map((s) => [s, SERVER4] as const),
        port,
      );
      assert.deepEqual(ours, open, "our trace");
      assert.deepEqual(
        SOURCES.filter((s) => r.open.has(s)),
        open,
        "the kernel",
      );
      assert.deepEqual(theirs, open, "our trace of the kernel's iptables-save");
      assert.deepEqual(covered, open, "the diff");
    });
  }
});
