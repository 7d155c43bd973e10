/**
 * Check Point mgmt_cli scripts and `show access-rulebase` JSON, with exact entries and verdicts. Commands and the
 * JSON shape from the Management API reference (add host/network/address-range/group/service-tcp/access-rule with
 * "position"; show access-rulebase with objects-dictionary); first match, implicit cleanup drop.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCheckpoint } from "./checkpoint";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const SCRIPT = `
#!/bin/sh
# mgmt_cli login user admin > sid.txt
mgmt_cli add host name 'fw-us-1' ip-address '52.1.37.96' groups.1 'freshworks' -s sid.txt
mgmt_cli add network name 'fw-eu' subnet4 '3.74.148.8' mask-length4 30 groups.1 'freshworks' -s sid.txt
mgmt_cli add address-range name 'fw-us-block' ip-address-first '44.206.73.232' ip-address-last '44.206.73.239' -s sid.txt
mgmt_cli set group name 'freshworks' members.add 'fw-us-block' -s sid.txt
mgmt_cli add host name 'abuser' ip-address '3.74.148.9' -s sid.txt
mgmt_cli add service-tcp name 'webhooks-8443' port '8443' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'bottom' name 'freshworks-in' source 'freshworks' destination 'Any' service.1 'https' service.2 'webhooks-8443' action 'Accept' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'top' name 'block-abuser' source 'abuser' destination 'Any' service 'Any' action 'Drop' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'bottom' name 'old' source 'fw-us-1' service 'Any' action 'Accept' enabled false -s sid.txt
mgmt_cli publish -s sid.txt
`;

const JSON_RULEBASE = `
{
  "uid": "0a4d8f63-2d4e-4f5b-9c7e-1d2b3c4d5e6f",
  "name": "Network",
  "rulebase": [
    {
      "uid": "s1",
      "name": "Webhooks",
      "type": "access-section",
      "rulebase": [
        {
          "uid": "r1",
          "type": "access-rule",
          "name": "block abuser",
          "rule-number": 1,
          "source": ["h2"],
          "source-negate": false,
          "destination": ["any"],
          "service": ["any"],
          "action": "drop",
          "enabled": true
        },
        {
          "uid": "r2",
          "type": "access-rule",
          "name": "freshworks in",
          "rule-number": 2,
          "source": ["g1"],
          "destination": ["any"],
          "service": ["svc443"],
          "action": "accept",
          "enabled": true
        }
      ]
    },
    {
      "uid": "r3",
      "type": "access-rule",
      "name": "Cleanup rule",
      "rule-number": 3,
      "source": ["any"],
      "destination": ["any"],
      "service": ["any"],
      "action": "drop",
      "enabled": true
    }
  ],
  "objects-dictionary": [
    { "uid": "any", "name": "Any", "type": "CpmiAnyObject" },
    { "uid": "accept", "name": "Accept", "type": "RulebaseAction" },
    { "uid": "drop", "name": "Drop", "type": "RulebaseAction" },
    { "uid": "h1", "name": "fw-us-1", "type": "host", "ipv4-address": "52.1.37.96" },
    { "uid": "h2", "name": "abuser", "type": "host", "ipv4-address": "3.74.148.9" },
    { "uid": "n1", "name": "fw-eu", "type": "network", "subnet4": "3.74.148.8", "mask-length4": 30 },
    { "uid": "g1", "name": "freshworks", "type": "group", "members": ["h1", "n1"] },
    { "uid": "svc443", "name": "https", "type": "service-tcp", "port": "443" }
  ]
}
`;

const LAYER = "Check Point access layer";

describe("Check Point", () => {
  test("mgmt_cli: objects, groups (groups.1 and members.add), services, positions, disabled rules", () => {
    const out = parseCheckpoint(SCRIPT);
    assert.deepEqual(pathRows(out), {
      entries: [
        [8, "3.74.148.9", "address", "deny", "in", "", "", "abuser", 11, "3.74.148.9", "block-abuser", 0, ""],
        [4, "52.1.37.96", "address", "allow", "in", "tcp", "443", "freshworks>fw-us-1", 10, "52.1.37.96", "freshworks-in", 0, ""],
        [4, "52.1.37.96", "address", "allow", "in", "tcp", "8443", "freshworks>fw-us-1", 10, "52.1.37.96", "freshworks-in", 0, ""],
        [5, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443", "freshworks>fw-eu", 10, "3.74.148.8/30", "freshworks-in", 0, ""],
        [5, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "8443", "freshworks>fw-eu", 10, "3.74.148.8/30", "freshworks-in", 0, ""],
        [6, "44.206.73.232/29", "range", "allow", "in", "tcp", "443", "freshworks>fw-us-block", 10, "44.206.73.232-44.206.73.239", "freshworks-in", 0, ""],
        [6, "44.206.73.232/29", "range", "allow", "in", "tcp", "8443", "freshworks>fw-us-block", 10, "44.206.73.232-44.206.73.239", "freshworks-in", 0, ""],
        [4, "52.1.37.96", "address", "allow", "in", "", "", "fw-us-1", 12, "52.1.37.96", "old", 0, "the rule is disabled"],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 8 in ${LAYER}.`);
    assert.equal(verdict(out, "3.74.148.10", 8443), "3.74.148.10 → TCP 8443: allowed by line 5.");
    assert.equal(verdict(out, "52.1.37.96", 22), `52.1.37.96 → TCP 22: blocked — no rule of ${LAYER} matches, and its default is deny.`);
    assertWins(SCRIPT, "checkpoint");
  });

  test("show access-rulebase JSON: sections, the objects-dictionary, the cleanup rule", () => {
    const out = parseCheckpoint(JSON_RULEBASE);
    assert.deepEqual(pathRows(out).entries, [
      [53, "3.74.148.9", "address", "deny", "in", "", "", "abuser", 11, "3.74.148.9", "block abuser", 0, ""],
      [52, "52.1.37.96", "address", "allow", "in", "tcp", "443", "freshworks>fw-us-1", 23, "52.1.37.96", "freshworks in", 0, ""],
      [54, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443", "freshworks>fw-eu", 23, "3.74.148.8/30", "freshworks in", 0, ""],
      [36, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "Any", "Cleanup rule", 0, ""],
      [36, "::/0", "any", "deny", "in", "", "", "", 0, "Any", "Cleanup rule", 0, ""],
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 52.");
    assert.equal(verdict(out, "52.1.37.97"), `52.1.37.97 → TCP 443: blocked by line 36 in ${LAYER}.`);
    assertWins(JSON_RULEBASE, "checkpoint");
  });
});
