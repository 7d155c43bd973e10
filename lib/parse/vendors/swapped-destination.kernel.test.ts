/**
 * Source and destination swapped, against the kernel: a rule written "-d <published NAT IP>" (or "ip daddr …") where
 * "-s" was meant lets nothing from the vendor in, since its connections come from that address and are addressed to
 * the service. iptables and nftables rulesets with such rules beside correct ones are loaded in the throwaway lab of
 * lib/testing/netns.ts, and real TCP connections are made from each published address to the server on port 443: the
 * kernel's verdicts must equal our trace and diff (which read the destinations against the catalog), for the text
 * loaded and for the kernel's own listing of it.
 * Needs root and ip, nft, iptables-restore, ipset, python3; under CI=true a missing one fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { checkCase } from "../../testing/kernel";
import { Lab, labMissing, SERVER4 } from "../../testing/netns";
import { parseIptables } from "./iptables";
import { parseNftables } from "./nftables";

const missing = labMissing();
const skip = missing.length > 0 && process.env.CI !== "true" ? `needs ${missing.join(", ")}` : false;
const [A, B, C, D, E] = SEED_CATALOG.slice(0, 5).map((p) => p.cidr.split("/")[0]!) as [
  string,
  string,
  string,
  string,
  string,
];

const IPTABLES = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -d ${A}/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s ${B}/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s ${C}/32 -d ${SERVER4}/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -d ${D}/32 -j DROP
-A INPUT -s ${D}/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -s ${E}/32 -d ${E}/32 -p tcp -m tcp --dport 443 -j ACCEPT
COMMIT
`;

const NFT = `table inet filter {
  chain input {
    type filter hook input priority filter; policy drop;
    ip daddr { ${A}, ${E} } tcp dport 443 accept
    ip saddr ${B} tcp dport 443 accept
    ip saddr ${C} ip daddr ${SERVER4} tcp dport 443 accept
    ip daddr ${D} drop
    ip saddr ${D} tcp dport 443 accept
  }
}
`;

describe(
  "a rule to a published NAT IP (source and destination swapped): our verdicts equal the kernel's",
  { skip },
  () => {
    let lab: Lab;
    before(async () => {
      assert.deepEqual(missing, [], `the kernel tests need ${missing.join(", ")}`);
      lab = new Lab("x44d", [A, B, C, D, E]);
      lab.firstSource = B;
      await lab.ready();
    });
    after(() => lab?.close());

    test("iptables: -d A lets A in nowhere, -d D DROP blocks nothing of D; -s B and -s C -d SERVER do", async () => {
      const loaded = lab.load({ "rules.v4": IPTABLES }, "iptables-restore < rules.v4");
      assert.equal(loaded.ok, true, loaded.out);
      const r = await checkCase(
        lab,
        parseIptables(IPTABLES),
        [A, B, C, D, E],
        false,
        parseIptables(lab.read("iptables-save")),
      );
      assert.deepEqual(r.expected, [B, C, D], "our trace");
      assert.deepEqual(r.actual, [B, C, D], "the kernel");
      assert.deepEqual(r.diffDisagrees, []);
      assert.deepEqual(r.listingDisagrees, []);
    });

    test("nftables: ip daddr { A, E } accepts neither, ip daddr D drop blocks nothing of D", async () => {
      const loaded = lab.load({ "rules.nft": NFT }, "nft -f rules.nft");
      assert.equal(loaded.ok, true, loaded.out);
      const r = await checkCase(
        lab,
        parseNftables(NFT),
        [A, B, C, D, E],
        false,
        parseNftables(lab.read("nft list ruleset")),
      );
      assert.deepEqual(r.expected, [B, C, D], "our trace");
      assert.deepEqual(r.actual, [B, C, D], "the kernel");
      assert.deepEqual(r.diffDisagrees, []);
      assert.deepEqual(r.listingDisagrees, []);
    });
  },
);
