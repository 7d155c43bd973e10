/**
 * PAN-OS running configuration XML, with exact entries and verdicts: the same rules as the set form, read by the
 * PAN-OS set reader after conversion, lines mapped back to the XML elements. Element names from a PAN-OS 10.2
 * `show config running` (devices/entry/vsys/entry, address, address-group static, service, rulebase security rules).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parsePanosXml } from "./panos-xml";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const XML = `
<config version="10.2.0" urldb="paloaltonetworks" detail-version="10.2.4">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <address>
            <entry name="fw-us-1">
              <ip-netmask>52.1.37.96/32</ip-netmask>
              <description>Freshworks US</description>
            </entry>
            <entry name="fw-eu">
              <ip-netmask>3.74.148.8/30</ip-netmask>
            </entry>
            <entry name="fw-range">
              <ip-range>44.206.73.232-44.206.73.239</ip-range>
            </entry>
            <entry name="abuser">
              <ip-netmask>3.74.148.9</ip-netmask>
            </entry>
          </address>
          <address-group>
            <entry name="Freshworks">
              <static>
                <member>fw-us-1</member>
                <member>fw-eu</member>
                <member>fw-range</member>
              </static>
            </entry>
          </address-group>
          <service>
            <entry name="tcp-8443">
              <protocol>
                <tcp>
                  <port>8443</port>
                </tcp>
              </protocol>
            </entry>
          </service>
          <rulebase>
            <security>
              <rules>
                <entry name="block-abuser" uuid="0f0e2c1a-7a5b-4c3d-9e8f-1a2b3c4d5e6f">
                  <from><member>untrust</member></from>
                  <to><member>trust</member></to>
                  <source><member>abuser</member></source>
                  <destination><member>any</member></destination>
                  <service><member>any</member></service>
                  <application><member>any</member></application>
                  <action>deny</action>
                </entry>
                <entry name="freshworks-webhooks" uuid="1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d">
                  <from><member>untrust</member></from>
                  <to><member>trust</member></to>
                  <source><member>Freshworks</member></source>
                  <destination><member>any</member></destination>
                  <service>
                    <member>service-https</member>
                    <member>tcp-8443</member>
                  </service>
                  <application><member>any</member></application>
                  <action>allow</action>
                </entry>
                <entry name="old-partner" uuid="2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e">
                  <source><member>fw-us-1</member></source>
                  <destination><member>any</member></destination>
                  <service><member>any</member></service>
                  <application><member>any</member></application>
                  <action>allow</action>
                  <disabled>yes</disabled>
                </entry>
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;

describe("PAN-OS running config XML", () => {
  test("objects, static groups, services and rules, with the set reader's verdicts on the XML lines", () => {
    const out = parsePanosXml(XML);
    assert.deepEqual(pathRows(out), {
      entries: [
        [19, "3.74.148.9", "address", "deny", "in", "", "", "abuser", 46, "3.74.148.9", "", 0, ""],
        [
          9,
          "52.1.37.96",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "Freshworks>fw-us-1",
          55,
          "52.1.37.96/32",
          "",
          0,
          "",
        ],
        [
          13,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "Freshworks>fw-eu",
          55,
          "3.74.148.8/30",
          "",
          0,
          "",
        ],
        [
          16,
          "44.206.73.232/29",
          "range",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "Freshworks>fw-range",
          55,
          "44.206.73.232-44.206.73.239",
          "",
          0,
          "",
        ],
        // The disabled rule stays, as a rule no connection meets.
        [9, "52.1.37.96", "cidr", "allow", "in", "", "", "fw-us-1", 65, "52.1.37.96/32", "", 0, "disabled"],
      ],
      findings: [[19, "unused-object", 'Address "abuser" is defined but no allow rule uses it.']],
      notes: [],
    });
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.fallthrough, c.onPath]),
      [["security rules from untrust (pre, local, post)", "deny", true]],
    );
    assert.equal(
      verdict(out, "3.74.148.9"),
      "3.74.148.9 → TCP 443: blocked by line 19 in security rules from untrust (pre, local, post).",
    );
    assert.equal(verdict(out, "3.74.148.10", 8443), "3.74.148.10 → TCP 8443: allowed by line 13.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of security rules from untrust (pre, local, post) matches, and its default is deny.",
    );
    assertWins(XML, "panos-xml");
  });

  test("one-line XML (the API's form) reads the same, every entry on line 1", () => {
    const out = parsePanosXml(XML.replace(/\n\s*/g, ""));
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token]),
      [
        [1, "3.74.148.9"],
        [1, "52.1.37.96/32"],
        [1, "3.74.148.8/30"],
        [1, "44.206.73.232-44.206.73.239"],
        [1, "52.1.37.96/32"],
      ],
    );
  });
});

// A service element as `show config running` writes it: <override><no/></override> beside <port>, and an optional
// <source-port>. PAN-OS "Create a Custom Service" (destination port required, source port optional):
// https://docs.paloaltonetworks.com/network-security/security-policy/administration/objects/services/create-a-custom-service-pm
describe("PAN-OS XML: service override and source-port", () => {
  const XML = `<config version="10.2.0">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="untrust"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="trust"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <address>
            <entry name="FW-1"><ip-netmask>52.1.37.96/32</ip-netmask></entry>
            <entry name="FW-2"><ip-netmask>52.1.32.88/32</ip-netmask></entry>
          </address>
          <service>
            <entry name="tcp-8443">
              <protocol>
                <tcp>
                  <port>8443</port>
                  <override>
                    <no/>
                  </override>
                </tcp>
              </protocol>
            </entry>
            <entry name="src-443">
              <protocol>
                <tcp>
                  <port>1-65535</port>
                  <source-port>443</source-port>
                </tcp>
              </protocol>
            </entry>
          </service>
          <rulebase>
            <security>
              <rules>
                <entry name="r1">
                  <from><member>untrust</member></from>
                  <to><member>trust</member></to>
                  <source><member>FW-1</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>tcp-8443</member></service>
                  <action>allow</action>
                </entry>
                <entry name="r2">
                  <from><member>untrust</member></from>
                  <to><member>trust</member></to>
                  <source><member>FW-2</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>src-443</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;
  test("tcp-8443 with override no allows only 8443; a source-port 443 service is never met", () => {
    const out = parsePanosXml(XML);
    assert.equal(
      verdict(out, "52.1.37.96").startsWith("52.1.37.96 → TCP 443: blocked"),
      true,
      verdict(out, "52.1.37.96"),
    );
    assert.equal(verdict(out, "52.1.37.96", 8443).startsWith("52.1.37.96 → TCP 8443: allowed"), true);
    assert.equal(
      verdict(out, "52.1.32.88").startsWith("52.1.32.88 → TCP 443: blocked"),
      true,
      verdict(out, "52.1.32.88"),
    );
  });
});

// A dynamic address group holds the configuration's address objects whose <tag> members match its <filter>:
// https://docs.paloaltonetworks.com/pan-os/11-0/pan-os-admin/policy/monitor-changes-in-the-virtual-environment/use-dynamic-address-groups-in-policy
describe("PAN-OS XML: dynamic address group over tagged objects", () => {
  const XML = `<config version="10.2.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="untrust"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="dmz"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <address>
            <entry name="FW-US-1">
              <ip-netmask>52.1.37.96/32</ip-netmask>
              <tag>
                <member>freshworks</member>
                <member>webhooks</member>
              </tag>
            </entry>
            <entry name="FW-US-2">
              <ip-netmask>52.1.32.88/32</ip-netmask>
              <tag><member>freshworks</member></tag>
            </entry>
          </address>
          <address-group>
            <entry name="DAG-FW">
              <dynamic>
                <filter>'freshworks' and 'webhooks'</filter>
              </dynamic>
            </entry>
          </address-group>
          <rulebase>
            <security>
              <rules>
                <entry name="allow-fw">
                  <from><member>untrust</member></from>
                  <to><member>dmz</member></to>
                  <source><member>DAG-FW</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>service-https</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`;
  test("the rule through the dynamic group allows the object whose tags match, not the other", () => {
    const out = parsePanosXml(XML);
    // Before: the group was empty ("known only on the firewall"), so 52.1.37.96 was blocked.
    assert.equal(verdict(out, "52.1.37.96").startsWith("52.1.37.96 → TCP 443: allowed by line 12"), true);
    assert.equal(verdict(out, "52.1.32.88").startsWith("52.1.32.88 → TCP 443: blocked"), true);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [
        [19, "unused-object"],
        [26, "note"],
      ],
    );
  });
});

describe("PAN-OS XML: the interzone-default rule overridden", () => {
  test("an interzone-default set to allow in <default-security-rules> lets in what no rule matches, as the set form does", () => {
    // PAN-OS Admin Guide, "Security Policy": the predefined interzone-default rule denies, and can be overridden; the
    // XML form of \`set rulebase default-security-rules rules interzone-default action allow\` was not read at all.
    const out = parsePanosXml(`<config version="10.1.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="untrust"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="trust"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <address>
            <entry name="fw-b"><ip-netmask>52.1.32.88/32</ip-netmask></entry>
          </address>
          <rulebase>
            <security>
              <rules>
                <entry name="block-b">
                  <from><member>untrust</member></from>
                  <to><member>trust</member></to>
                  <source><member>fw-b</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>any</member></service>
                  <action>reset-both</action>
                </entry>
              </rules>
            </security>
            <default-security-rules>
              <rules>
                <entry name="interzone-default">
                  <action>allow</action>
                </entry>
              </rules>
            </default-security-rules>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
`);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.line, c.fallthrough, c.reason]),
      [
        [
          30,
          "allow",
          "Rules are evaluated in order, first match; no match ends in the interzone-default rule (allow, set in the paste).",
        ],
      ],
    );
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of security rules from untrust (pre, local, post).",
    );
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 11 in security rules from untrust (pre, local, post).",
    );
  });
});
