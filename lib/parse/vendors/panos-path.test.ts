import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { panosParser } from "./panos";
import { lineVerdicts, parseWith, pathRows, statuses, traceRows } from "./path.testkit";

const IPS = [
  "52.1.37.96",
  "52.1.32.88",
  "3.74.148.8",
  "3.74.148.9",
  "18.208.240.77",
  "13.232.152.211",
  "44.206.73.232",
  "3.26.254.196",
];

// PAN-OS 11.1 Administrator's Guide, "Security Policy" and "Security Policy Rules" (rules match on source zone, first
// match, intrazone-default allow / interzone-default deny, disabled rules are skipped, negate-source):
// https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy
// Panorama rule order (shared pre → device-group pre → local → device-group post → shared post):
// https://docs.paloaltonetworks.com/panorama/11-1/panorama-admin/panorama-overview/centralized-firewall-configuration-and-update-management/device-groups/device-group-policies
// "application-default" = the App-ID's standard ports (Applipedia: ssl 443, web-browsing 80):
// https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/app-id/manage-custom-or-unknown-applications/safely-enable-applications-on-default-ports
const PANOS = `set zone untrust network layer3 ethernet1/1
set zone trust network layer3 ethernet1/2
set zone dmz network layer3 ethernet1/3
set address FW-US-1 ip-netmask 52.1.37.96
set address FW-US-2 ip-netmask 52.1.32.88
set address FW-EU ip-range 3.74.148.8-3.74.148.11
set address-group FRESHWORKS static [ FW-US-1 FW-US-2 FW-EU ]
set address WEB-DMZ ip-netmask 10.2.0.10
set pre-rulebase security rules block-eu9 from untrust to dmz source 3.74.148.9 destination any application any service any action deny
set rulebase security rules inside-out from trust to untrust source any destination any application any service any action allow
set rulebase security rules webhooks from untrust to dmz source FRESHWORKS destination WEB-DMZ application [ ssl web-browsing ] service application-default action allow
set rulebase security rules legacy from untrust to dmz source 18.208.240.77 destination WEB-DMZ application custom-crm service application-default action allow
set rulebase security rules old from untrust to dmz source 13.232.152.211 destination any application any service any action allow disabled yes
set rulebase security rules not-internal from untrust to dmz source 10.0.0.0/8 negate-source yes destination WEB-DMZ application any service service-http action allow
set post-rulebase security rules late from any to dmz source 44.206.73.232 destination any application any service service-https action allow
`;

describe("PAN-OS: rules from the Internet-facing zone, in order, then the interzone default", () => {
  const parsed = parseWith(panosParser, PANOS);

  test("path and assumption", () => {
    assert.deepEqual(pathRows(parsed), {
      contexts: [["security rules from untrust (pre, local, post)", true, "deny"]],
      assumption:
        "Internet-facing zone: untrust (its name); only rules from untrust or any apply, and the service sits in another zone (interzone). Override with --ingress ZONE.",
    });
  });

  test("verdicts: pre-rule deny first, other zones and disabled rules never met, application-default ports, unknown App-ID not counted, post-rules last", () => {
    assert.deepEqual(statuses(parsed, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
      "18.208.240.77": "missing",
      "13.232.152.211": "missing",
      "44.206.73.232": "covered",
      "3.26.254.196": "missing",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          12,
          "not-understood",
          '"application-default" for custom-crm: the standard ports of this App-ID are not in our table, so they are not counted as allowing anything.',
        ],
      ],
    );
    const t = traceRows(parsed, "3.26.254.196");
    assert.equal(
      t.summary,
      "3.26.254.196 → TCP 443: blocked — no rule of security rules from untrust (pre, local, post) matches, and its default is deny.",
    );
    assert.deepEqual(t.contexts[0]!.steps, [
      [10, false, false, "from zone trust, not the Internet-facing zone untrust"],
      [14, false, false, "ports 80, 8080, not 443"],
    ]);
    assert.deepEqual(traceRows(parsed, "13.232.152.211").contexts[0]!.steps[1], [13, false, false, "disabled"]);
    assert.deepEqual(traceRows(parsed, "18.208.240.77").contexts[0]!.steps[1], [
      12,
      false,
      false,
      "application-default: no TCP port is known for custom-crm",
    ]);
    assert.deepEqual(lineVerdicts(parsed, IPS).slice(0, 2), [
      [9, "deny", "Denies 3.74.148.9/32 (US): webhooks from it will be blocked."],
      [10, "inactive", "Never met by a new inbound connection: from zone trust, not the Internet-facing zone untrust."],
    ]);
  });

  test("the interzone default set to allow in the paste lets through what no rule decides", () => {
    const p = parseWith(
      panosParser,
      PANOS + "set rulebase default-security-rules rules interzone-default action allow\n",
    );
    assert.deepEqual(pathRows(p).contexts, [["security rules from untrust (pre, local, post)", true, "allow"]]);
    assert.equal(statuses(p, IPS)["3.26.254.196"], "covered");
    assert.equal(statuses(p, IPS)["3.74.148.9"], "missing");
  });

  test("--ingress trust: the trust rules apply, the untrust ones are never met", () => {
    const p = parseWith(panosParser, PANOS, { ingress: "trust" });
    assert.deepEqual(statuses(p, IPS), Object.fromEntries(IPS.map((ip) => [ip, "covered"])));
  });
});
