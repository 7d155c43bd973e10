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
import { UFW_DOCKER_HOST } from "./ufw-docker.testkit";
import { SEED_CATALOG } from "../../diff/seed.fixture";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;

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
      const ours = SOURCES.filter((s) => trace(parsed, mustParseAddress(s), { catalog: SEED_CATALOG, port }).allowed);
      const theirs = SOURCES.filter((s) => trace(listed, mustParseAddress(s), { catalog: SEED_CATALOG, port }).allowed);
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
