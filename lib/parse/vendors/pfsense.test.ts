/**
 * pfSense / OPNsense config.xml, with exact entries and verdicts. Element names from a pfSense 2.7 (23.3) backup
 * (aliases with host/network/port/urltable types, filter rules with floating/quick/disabled); processing order from
 * https://docs.netgate.com/pfsense/en/latest/firewall/floating-rules.html ("quick" floating rules first).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parsePfsense } from "./pfsense";
import { assertWins, pathRows, verdict } from "./hosts.testkit";
import { MAX_EXPANSION } from "./common";
import { lineVerdicts, statuses } from "./path.testkit";

const CONFIG = `
<?xml version="1.0"?>
<pfsense>
	<version>23.3</version>
	<interfaces>
		<wan>
			<enable></enable>
			<if>igb0</if>
			<descr><![CDATA[WAN]]></descr>
			<ipaddr>dhcp</ipaddr>
		</wan>
		<lan>
			<enable></enable>
			<if>igb1</if>
			<ipaddr>192.168.1.1</ipaddr>
			<subnet>24</subnet>
		</lan>
	</interfaces>
	<aliases>
		<alias>
			<name>Freshworks_US</name>
			<type>host</type>
			<address>52.1.37.96 52.1.32.88</address>
			<descr><![CDATA[Freshworks US NAT]]></descr>
		</alias>
		<alias>
			<name>Freshworks</name>
			<type>network</type>
			<address>Freshworks_US 3.74.148.8/30</address>
		</alias>
		<alias>
			<name>Partners_feed</name>
			<type>urltable</type>
			<url>https://lists.example.com/partners.txt</url>
			<updatefreq>1</updatefreq>
			<address></address>
		</alias>
		<alias>
			<name>Webhook_ports</name>
			<type>port</type>
			<address>443 8000:8100</address>
		</alias>
	</aliases>
	<filter>
		<rule>
			<tracker>1700000100</tracker>
			<type>block</type>
			<interface>wan,lan</interface>
			<ipprotocol>inet</ipprotocol>
			<floating>yes</floating>
			<quick>yes</quick>
			<direction>any</direction>
			<source>
				<address>3.74.148.9</address>
			</source>
			<destination>
				<any></any>
			</destination>
			<descr><![CDATA[block abuser]]></descr>
		</rule>
		<rule>
			<tracker>1700000101</tracker>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source>
				<address>Freshworks</address>
			</source>
			<destination>
				<address>192.168.1.10</address>
				<port>Webhook_ports</port>
			</destination>
			<descr><![CDATA[NAT Freshworks webhooks]]></descr>
		</rule>
		<rule>
			<tracker>1700000102</tracker>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source>
				<address>Partners_feed</address>
			</source>
			<destination>
				<any></any>
				<port>443</port>
			</destination>
		</rule>
		<rule>
			<tracker>1700000103</tracker>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<disabled></disabled>
			<source>
				<address>18.184.146.0/24</address>
			</source>
			<destination>
				<any></any>
				<port>443</port>
			</destination>
		</rule>
		<rule>
			<tracker>0100000101</tracker>
			<type>pass</type>
			<interface>lan</interface>
			<ipprotocol>inet46</ipprotocol>
			<source>
				<network>lan</network>
			</source>
			<destination>
				<any></any>
			</destination>
			<descr><![CDATA[Default allow LAN to any rule]]></descr>
		</rule>
	</filter>
</pfsense>
`;

const WAN = "WAN rules (with floating rules)";

describe("pfSense config.xml", () => {
  test("nested aliases, port aliases, floating quick block, URL-table aliases unresolved, disabled and LAN rules", () => {
    const out = parsePfsense(CONFIG);
    assert.deepEqual(pathRows(out), {
      entries: [
        [54, "3.74.148.9", "address", "deny", "in", "", "", "", 45, "3.74.148.9", "block abuser", 0, ""],
        [
          23,
          "52.1.37.96",
          "address",
          "allow",
          "in",
          "tcp",
          "443,8000-8100",
          "Freshworks>Freshworks_US",
          61,
          "52.1.37.96",
          "NAT Freshworks webhooks",
          0,
          "",
        ],
        [
          23,
          "52.1.32.88",
          "address",
          "allow",
          "in",
          "tcp",
          "443,8000-8100",
          "Freshworks>Freshworks_US",
          61,
          "52.1.32.88",
          "NAT Freshworks webhooks",
          0,
          "",
        ],
        [
          29,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8000-8100",
          "Freshworks",
          61,
          "3.74.148.8/30",
          "NAT Freshworks webhooks",
          0,
          "",
        ],
        [
          98,
          "18.184.146.0/24",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "",
          90,
          "18.184.146.0/24",
          "",
          0,
          "the rule is disabled",
        ],
        [
          105,
          "0.0.0.0/0",
          "any",
          "allow",
          "in",
          "",
          "",
          "",
          0,
          "lan",
          "Default allow LAN to any rule",
          1,
          "only from the lan network (not an Internet sender)",
        ],
        [
          105,
          "::/0",
          "any",
          "allow",
          "in",
          "",
          "",
          "",
          0,
          "lan",
          "Default allow LAN to any rule",
          1,
          "only from the lan network (not an Internet sender)",
        ],
      ],
      findings: [
        [
          36,
          "not-understood",
          'Alias "Partners_feed" (urltable) is filled from outside the configuration: unresolved, not read.',
        ],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 23.");
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 54 in ${WAN}.`);
    assert.equal(verdict(out, "3.74.148.10", 8050), "3.74.148.10 → TCP 8050: allowed by line 29.");
    assert.equal(
      verdict(out, "18.184.146.22"),
      `18.184.146.22 → TCP 443: blocked — no rule of ${WAN} matches, and its default is deny.`,
    );
    assertWins(CONFIG, "pfsense");
  });

  test("--ingress lan: the LAN rules are on the path", () => {
    const out = parsePfsense(CONFIG, { ingress: "lan" });
    assert.equal(out.path?.contexts[0]?.name, "LAN rules (with floating rules)");
    assert.equal(out.entries.filter((e) => (e.context ?? 0) === 0).length, 3);
  });

  test("broken XML is one finding with its line", () => {
    const out = parsePfsense("<pfsense>\n  <filter>\n    <rule>\n  </filter>\n</pfsense>\n");
    assert.deepEqual(
      pathRows(out).findings.map((f) => [f[0], f[1]]),
      [[4, "invalid"]],
    );
  });

  // Interface group rules apply to every member and are processed before the member interface's own rules:
  // https://docs.netgate.com/pfsense/en/latest/interfaces/groups.html, https://docs.opnsense.org/manual/firewall_groups.html
  test("a block rule on an interface group holding the WAN comes before the WAN's own pass rule", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<pfsense>
	<interfaces>
		<wan><enable></enable><if>igb0</if><descr><![CDATA[WAN]]></descr></wan>
		<lan><enable></enable><if>igb1</if></lan>
		<opt1><enable></enable><if>igb2</if><descr><![CDATA[WAN2]]></descr></opt1>
	</interfaces>
	<ifgroups>
		<ifgroupentry>
			<members>wan opt1</members>
			<descr><![CDATA[All WANs]]></descr>
			<ifname>WANS</ifname>
		</ifgroupentry>
	</ifgroups>
	<aliases>
		<alias>
			<name>Freshworks</name>
			<type>host</type>
			<address>52.1.37.96 52.1.32.88</address>
		</alias>
	</aliases>
	<filter>
		<rule>
			<type>block</type>
			<interface>WANS</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source><address>52.1.32.88</address></source>
			<destination><any></any><port>443</port></destination>
			<descr><![CDATA[block via group]]></descr>
		</rule>
		<rule>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source><address>Freshworks</address></source>
			<destination><address>10.0.0.5</address><port>443</port></destination>
			<descr><![CDATA[hooks]]></descr>
		</rule>
	</filter>
</pfsense>
`);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 19.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 28 in WAN rules (with floating rules).",
    );
  });

  // A port forward whose filter rule association is "Pass" passes the traffic it redirects without a firewall rule
  // (pf "rdr pass"): https://docs.netgate.com/pfsense/en/latest/nat/port-forwards.html
  test("a port forward with associated-rule-id pass lets its sources through without a filter rule", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<pfsense>
	<interfaces>
		<wan><enable></enable><if>igb0</if></wan>
		<lan><enable></enable><if>igb1</if></lan>
	</interfaces>
	<aliases>
		<alias>
			<name>Freshworks</name>
			<type>host</type>
			<address>52.1.37.96 52.1.32.88</address>
		</alias>
	</aliases>
	<nat>
		<rule>
			<source>
				<address>Freshworks</address>
			</source>
			<destination>
				<network>wanip</network>
				<port>443</port>
			</destination>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<target>10.0.0.5</target>
			<local-port>8443</local-port>
			<interface>wan</interface>
			<descr><![CDATA[hooks]]></descr>
			<associated-rule-id>pass</associated-rule-id>
		</rule>
	</nat>
	<filter>
		<rule>
			<type>block</type>
			<interface>lan</interface>
			<source><any></any></source>
			<destination><any></any></destination>
		</rule>
	</filter>
</pfsense>
`);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 11.");
    assert.match(verdict(out, "18.208.240.77"), /blocked/);
    assert.match(verdict(out, "52.1.37.96", 80), /blocked/);
  });

  // OPNsense's MVC filter rules (<OPNsense><Firewall><Filter><rules>, https://docs.opnsense.org/manual/firewall.html)
  // are not read: a finding says so instead of a silent drop.
  test("OPNsense MVC filter rules are a finding, not silently dropped", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<opnsense>
  <interfaces>
    <wan><if>vtnet0</if></wan>
  </interfaces>
  <filter>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <protocol>tcp</protocol>
      <source><address>52.1.37.96</address></source>
      <destination><any/><port>443</port></destination>
    </rule>
  </filter>
  <OPNsense>
    <Firewall>
      <Filter version="1.0.4">
        <rules>
          <rule uuid="0a1b2c3d-0000-4000-8000-000000000001">
            <enabled>1</enabled>
            <sequence>1</sequence>
            <action>block</action>
            <quick>1</quick>
            <interface>wan</interface>
            <direction>in</direction>
            <ipprotocol>inet</ipprotocol>
            <protocol>any</protocol>
            <source_net>52.1.37.96</source_net>
            <destination_net>any</destination_net>
          </rule>
        </rules>
      </Filter>
    </Firewall>
  </OPNsense>
</opnsense>
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [[17, "not-understood"]],
    );
  });

  // OPNsense stores each rule's "Quick" box (<quick>1</quick> / <quick>0</quick>); unticked, pf keeps the rule's match
  // and the last matching non-quick rule decides, unless a quick rule matched (https://man.openbsd.org/pf.conf#quick,
  // https://docs.opnsense.org/manual/firewall.html: "Quick … apply the action immediately on match"; OPNsense's
  // FilterRule.php: without the element, rules are quick except floating ones).
  test("OPNsense interface rules with Quick unticked: the last matching one decides, after every quick rule", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<opnsense>
  <interfaces>
    <wan><if>vtnet0</if></wan>
  </interfaces>
  <filter>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <quick>0</quick>
      <protocol>tcp</protocol>
      <source><address>52.1.37.96</address></source>
      <destination><any/><port>443</port></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>wan</interface>
      <quick>0</quick>
      <source><network>52.1.32.0/24</network></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>wan</interface>
      <quick/>
      <source><address>52.1.37.96</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <quick>0</quick>
      <protocol>tcp</protocol>
      <source><address>52.1.32.88</address></source>
      <destination><any/><port>443</port></destination>
    </rule>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <quick>1</quick>
      <protocol>tcp</protocol>
      <source><address>18.208.240.77</address></source>
      <destination><any/><port>443</port></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>wan</interface>
      <source><address>3.74.148.8</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <quick>0</quick>
      <protocol>tcp</protocol>
      <source><address>3.74.148.8</address></source>
      <destination><any/><port>443</port></destination>
    </rule>
  </filter>
</opnsense>
`);
    // 52.1.37.96: allowed by its non-quick pass, then blocked by a later non-quick block (an empty <quick/> is not
    // quick in OPNsense): the last match wins.
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 26 in WAN rules (with floating rules).",
    );
    // 52.1.32.88: blocked by the /24, then passed by a later non-quick pass: the last match wins.
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 34.");
    // A quick rule decides as soon as it matches, whatever the non-quick rules say.
    assert.equal(verdict(out, "18.208.240.77"), "18.208.240.77 → TCP 443: allowed by line 42.");
    // No <quick> element: an interface rule keeps OPNsense's old default, quick.
    assert.equal(
      verdict(out, "3.74.148.8"),
      "3.74.148.8 → TCP 443: blocked by line 48 in WAN rules (with floating rules).",
    );
    assert.equal(
      out.path?.assumption,
      "Read as OPNsense traffic arriving on wan (the WAN interface): floating quick rules, then its interface groups' and its own rules, first match; then the rules with Quick unticked, last match; default deny. Override with --ingress <interface>.",
    );
  });

  test("pfSense interface rules are quick whatever <quick> says; a floating rule is quick when ticked", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<pfsense>
  <interfaces>
    <wan><if>igb0</if></wan>
  </interfaces>
  <filter>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <quick>0</quick>
      <protocol>tcp</protocol>
      <source><address>52.1.37.96</address></source>
      <destination><any/><port>443</port></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>wan</interface>
      <source><address>52.1.37.96</address></source>
      <destination><any/></destination>
    </rule>
  </filter>
</pfsense>
`);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 12.");
  });

  // https://docs.netgate.com/pfsense/en/latest/firewall/time-based-rules.html: a rule with a schedule is active only
  // during it; a pass rule under a schedule does not cover the webhook at all times.
  test("a pass rule with a schedule is not counted as coverage", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<pfsense>
	<interfaces>
		<wan><enable></enable><if>igb0</if><descr><![CDATA[WAN]]></descr></wan>
		<lan><enable></enable><if>igb1</if></lan>
		<opt1><enable></enable><if>igb2</if><descr><![CDATA[WAN2]]></descr></opt1>
	</interfaces>
	<ifgroups>
		<ifgroupentry>
			<members>wan opt1</members>
			<descr><![CDATA[All WANs]]></descr>
			<ifname>WANS</ifname>
		</ifgroupentry>
	</ifgroups>
	<aliases>
		<alias>
			<name>Freshworks</name>
			<type>host</type>
			<address>52.1.37.96 52.1.32.88</address>
		</alias>
	</aliases>
	<filter>
		<rule>
			<type>block</type>
			<interface>WANS</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source><address>52.1.32.88</address></source>
			<destination><any></any><port>443</port></destination>
			<descr><![CDATA[block via group]]></descr>
		</rule>
		<rule>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet</ipprotocol>
			<protocol>tcp</protocol>
			<source><address>Freshworks</address></source>
			<destination><address>10.0.0.5</address><port>443</port></destination>
			<descr>hooks</descr><sched>BusinessHours</sched>
		</rule>
	</filter>
</pfsense>
`);
    assert.match(verdict(out, "52.1.37.96"), /blocked/);
  });
});

describe("pfsense: hostile aliases", () => {
  const config = (aliases: string, source: string) =>
    `<?xml version="1.0"?>\n<pfsense><aliases>${aliases}</aliases><filter><rule><type>pass</type><interface>wan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol><source><address>${source}</address></source><destination><any/><port>443</port></destination></rule></filter></pfsense>\n`;
  const alias = (name: string, address: string) =>
    `<alias><name>${name}</name><type>network</type><address>${address}</address></alias>`;

  test("aliases nested past 64 levels are reported, not followed (20,000 overflowed the recursion)", () => {
    const chain = (depth: number) =>
      Array.from({ length: depth + 1 }, (_, i) => alias(`a${i}`, i === depth ? "52.1.37.96/32" : `a${i + 1}`)).join("");
    const deepest = parsePfsense(config(chain(63), "a0"));
    assert.deepEqual(
      deepest.entries.map((e) => [e.token, e.via?.length]),
      [["52.1.37.96/32", 64]],
    );
    for (const depth of [64, 20_000]) {
      const out = parsePfsense(config(chain(depth), "a0"));
      assert.deepEqual(out.entries, []);
      assert.deepEqual(
        out.findings.map((f) => [f.line, f.kind, f.message]),
        [[2, "not-understood", 'Alias "a64" is nested more than 64 aliases deep: its members are not read.']],
      );
    }
  });

  test("aliases expand to at most a million members (an alias holding another twice, 20 levels down)", () => {
    const doubling = Array.from({ length: 20 }, (_, i) =>
      alias(`a${i}`, i === 0 ? "52.1.37.96/32 52.1.37.97/32" : `a${i - 1} a${i - 1}`),
    ).join("");
    const out = parsePfsense(config(doubling, "a19"));
    assert.equal(MAX_EXPANSION, 1_000_000);
    assert.deepEqual(out.entries, []);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "not-understood",
          'Alias "a19" is not expanded: the aliases of this configuration already expanded to 1,000,000 members, the most this reader follows.',
        ],
      ],
    );
  });
});

// pfSense "Floating Rules" (https://docs.netgate.com/pfsense/en/latest/firewall/floating-rules.html): floating rules act
// "in the inbound, outbound, or both directions" on the interfaces they name; quick ones first (first match), the others
// last match. pf filters a forwarded connection on the interface it arrives on (WAN, inbound) and again on the one it
// leaves through (outbound): a port forward to a LAN host meets floating rules "out" (or "any") on LAN, after pfSense's
// own non-quick "pass out … all keep state" rule ("let out anything … from firewall host itself", filter.inc), so a
// user's non-quick block there wins by last match and what nothing decides passes. A connection to the firewall itself
// leaves through no interface: rules "out" are never met by it.
describe("pfSense floating rules out / any and the inbound path", () => {
  const config = (nat: string) => `<?xml version="1.0"?>
<pfsense>
  <interfaces>
    <wan><enable/><if>igb0</if><ipaddr>dhcp</ipaddr></wan>
    <lan><enable/><if>igb1</if><ipaddr>192.168.1.1</ipaddr><subnet>24</subnet></lan>
    <opt1><enable/><if>igb2</if><descr>GUEST</descr><ipaddr>10.10.0.1</ipaddr><subnet>24</subnet></opt1>
  </interfaces>
  <filter>
    <rule>
      <type>block</type>
      <interface>lan</interface>
      <floating>yes</floating>
      <quick>yes</quick>
      <direction>out</direction>
      <protocol>tcp</protocol>
      <source><address>52.1.37.96</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>opt1</interface>
      <floating>yes</floating>
      <quick>yes</quick>
      <direction>out</direction>
      <source><address>52.1.32.88</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>lan</interface>
      <floating>yes</floating>
      <quick>yes</quick>
      <source><address>3.74.148.8</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>wan</interface>
      <floating>yes</floating>
      <quick>yes</quick>
      <direction>out</direction>
      <source><address>18.208.240.77</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>pass</type>
      <interface>lan</interface>
      <floating>yes</floating>
      <direction>out</direction>
      <source><address>44.206.73.233</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>block</type>
      <interface>lan</interface>
      <floating>yes</floating>
      <direction>out</direction>
      <source><address>44.206.73.233</address></source>
      <destination><any/></destination>
    </rule>
    <rule>
      <type>pass</type>
      <interface>wan</interface>
      <protocol>tcp</protocol>
      <source><any/></source>
      <destination><address>192.168.1.10</address><port>443</port></destination>
      <descr><![CDATA[NAT webhooks to the app]]></descr>
    </rule>
  </filter>
  <nat>
${nat}
  </nat>
</pfsense>
`;
  const FORWARD = `    <rule>
      <protocol>tcp</protocol>
      <interface>wan</interface>
      <source><any/></source>
      <destination><network>wanip</network><port>443</port></destination>
      <target>192.168.1.10</target>
      <local-port>443</local-port>
      <descr><![CDATA[webhooks to the app]]></descr>
    </rule>`;
  const IPS = ["52.1.37.96", "52.1.32.88", "3.74.148.8", "18.208.240.77", "44.206.73.233", "13.232.152.1"];

  test("a port forward to a LAN host: floating rules out/any on LAN are met as it leaves; out on WAN or GUEST never", () => {
    const out = parsePfsense(config(FORWARD));
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath, c.fallthrough, c.line, c.reason]),
      [
        [WAN, true, "deny", 0, "a connection from the Internet arrives on this interface"],
        ["rules of other interfaces", false, "deny", 0, "they filter traffic arriving on other interfaces than wan"],
        [
          "outbound rules on LAN (floating, out or any)",
          true,
          "allow",
          71,
          "the port forward sends the connection on to 192.168.1.10, and pf filters it again as it leaves through lan",
        ],
        [
          "outbound rules of other interfaces",
          false,
          "allow",
          0,
          "they filter traffic leaving through other interfaces than lan",
        ],
      ],
    );
    assert.deepEqual(pathRows(out).entries, [
      [61, "0.0.0.0/0", "any", "allow", "in", "tcp", "443", "", 0, "any", "NAT webhooks to the app", 0, ""],
      // No <direction>: a floating rule filters both ways; its inbound half is on LAN, not the WAN.
      [33, "3.74.148.8", "address", "deny", "in", "", "", "", 28, "3.74.148.8", "", 1, ""],
      // Leaving through LAN: quick rules first, in order ...
      [16, "52.1.37.96", "address", "deny", "in", "tcp", "", "", 9, "52.1.37.96", "", 2, ""],
      [33, "3.74.148.8", "address", "deny", "in", "", "", "", 28, "3.74.148.8", "", 2, ""],
      // ... then the non-quick ones, the last first (the last match wins).
      [58, "44.206.73.233", "address", "deny", "in", "", "", "", 53, "44.206.73.233", "", 2, ""],
      [50, "44.206.73.233", "address", "allow", "in", "", "", "", 45, "44.206.73.233", "", 2, ""],
      [25, "52.1.32.88", "address", "deny", "in", "", "", "", 19, "52.1.32.88", "", 3, ""],
      [42, "18.208.240.77", "address", "deny", "in", "", "", "", 36, "18.208.240.77", "", 3, ""],
    ]);
    assert.equal(
      verdict(out, "52.1.37.96"),
      `52.1.37.96 → TCP 443: blocked by line 16 in outbound rules on LAN (floating, out or any).`,
    );
    assert.equal(
      verdict(out, "3.74.148.8"),
      `3.74.148.8 → TCP 443: blocked by line 33 in outbound rules on LAN (floating, out or any).`,
    );
    assert.equal(
      verdict(out, "44.206.73.233"),
      `44.206.73.233 → TCP 443: blocked by line 58 in outbound rules on LAN (floating, out or any).`,
    );
    // Out on GUEST or on the WAN: the connection never leaves through them.
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: allowed by line 61, then the default of outbound rules on LAN (floating, out or any).",
    );
    assert.equal(
      verdict(out, "18.208.240.77"),
      "18.208.240.77 → TCP 443: allowed by line 61, then the default of outbound rules on LAN (floating, out or any).",
    );
    assert.deepEqual(statuses(out, IPS), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "18.208.240.77": "covered",
      "44.206.73.233": "missing",
      "13.232.152.1": "covered",
    });
    assert.equal(
      out.path?.assumption,
      "Read as pfSense traffic arriving on wan (the WAN interface): floating quick rules, then its interface groups' and its own rules, first match; default deny; then, leaving through lan toward the port forward's 192.168.1.10, the floating rules out (or any) on it, quick first, then last match; default pass. Override with --ingress <interface>.",
    );
  });

  // pf translates before it filters: "the filter engine will see packets as they look after any addresses and ports
  // have been translated. Filter rules will therefore have to filter based on the translated address and port number"
  // (pf.conf(5), TRANSLATION); pfSense's associated rule names the target and its local port
  // (https://docs.netgate.com/pfsense/en/latest/nat/port-forwards.html). A rule to wanip or to port 443 never met a
  // forwarded connection, and the rule to 192.168.1.10 port 8443 did (we read it the other way round).
  test("a port forward 443 → 192.168.1.10:8443: the WAN rules are read against the target and its port", () => {
    const forward = (destination: string, extra = "") => `<?xml version="1.0"?>
<pfsense>
	<interfaces>
		<wan><enable></enable><if>igb0</if><ipaddr>198.51.100.2</ipaddr><subnet>29</subnet></wan>
		<lan><enable></enable><if>igb1</if><ipaddr>192.168.1.1</ipaddr><subnet>24</subnet></lan>
	</interfaces>
	<aliases>
		<alias><name>APP</name><type>host</type><address>192.168.1.10</address></alias>
	</aliases>
	<nat>
		<rule>
			<source><any></any></source>
			<destination><network>wanip</network><port>443</port></destination>
			<protocol>tcp</protocol>
			<target>192.168.1.10</target>
			<local-port>8443</local-port>
			<interface>wan</interface>
		</rule>
	</nat>
	<filter>
		<rule>
			<type>pass</type>
			<interface>wan</interface>
			<protocol>tcp</protocol>
			<source><address>52.1.37.96</address></source>
			<destination>${destination}</destination>${extra}
		</rule>
	</filter>
</pfsense>
`;
    const rows = (destination: string) => {
      const out = parsePfsense(forward(destination));
      return [verdict(out, "52.1.37.96"), out.entries.map((e) => [e.line, e.ports, e.unmet])];
    };
    const after =
      "the port forward at line 11 sends the connection to 192.168.1.10 port 8443, and pf filters it as translated";
    assert.deepEqual(rows("<address>192.168.1.10</address><port>8443</port>"), [
      "52.1.37.96 → TCP 443: allowed by line 25.",
      [[25, [{ from: 443, to: 443 }], undefined]],
    ]);
    assert.deepEqual(rows("<address>APP</address><port>8443</port>"), [
      "52.1.37.96 → TCP 443: allowed by line 25.",
      [[25, [{ from: 443, to: 443 }], undefined]],
    ]);
    assert.deepEqual(rows("<network>lan</network><port>8000-9000</port>"), [
      "52.1.37.96 → TCP 443: allowed by line 25.",
      [[25, [{ from: 443, to: 443 }], undefined]],
    ]);
    assert.deepEqual(rows("<network>wanip</network><port>443</port>"), [
      "52.1.37.96 → TCP 443: blocked — no rule of WAN rules (with floating rules) matches, and its default is deny.",
      [[25, [{ from: 443, to: 443 }], `only port 443: ${after}`]],
    ]);
    assert.deepEqual(rows("<network>wanip</network><port>8443</port>"), [
      "52.1.37.96 → TCP 443: blocked — no rule of WAN rules (with floating rules) matches, and its default is deny.",
      [[25, [{ from: 8443, to: 8443 }], `only traffic to wanip: ${after}`]],
    ]);
    assert.deepEqual(rows("<address>192.168.1.11</address><not></not>"), [
      "52.1.37.96 → TCP 443: allowed by line 25.",
      [[25, undefined, undefined]],
    ]);
    // --path input: the firewall itself, no forward taken: the rules read as before.
    const input = parsePfsense(forward("<network>wanip</network><port>443</port>"), { path: "input" });
    assert.equal(input.entries[0]!.unmet, undefined);
  });

  // An IPv6-only rule (<ipprotocol>inet6</ipprotocol>) with a source of IPv4 addresses only matches nothing; the rule
  // was left out without a word, though the admin reads it as allowing those addresses.
  test("a rule of one address family whose source holds only the other's is a note", () => {
    const out = parsePfsense(`<?xml version="1.0"?>
<pfsense>
	<interfaces><wan><enable></enable><if>igb0</if></wan></interfaces>
	<aliases><alias><name>FW_IN</name><type>host</type><address>13.232.152.211 52.66.184.184</address></alias></aliases>
	<filter>
		<rule>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet6</ipprotocol>
			<source><address>FW_IN</address></source>
		</rule>
		<rule>
			<type>pass</type>
			<interface>wan</interface>
			<ipprotocol>inet6</ipprotocol>
			<source><address>52.1.37.96</address></source>
		</rule>
	</filter>
</pfsense>
`);
    assert.deepEqual(out.entries, []);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          10,
          "note",
          "The rule is for IPv6 only, and its source FW_IN holds IPv4 addresses only: it matches no connection.",
        ],
        [
          16,
          "note",
          "The rule is for IPv6 only, and its source 52.1.37.96 holds IPv4 addresses only: it matches no connection.",
        ],
      ],
    );
  });

  test("no port forward (the firewall itself): floating rules out are never met; any rules keep their inbound half", () => {
    const out = parsePfsense(config(""));
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        [WAN, true],
        ["rules of other interfaces", false],
        ["outbound rules of other interfaces", false],
      ],
    );
    assert.deepEqual(statuses(out, IPS), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "18.208.240.77": "covered",
      "44.206.73.233": "covered",
      "13.232.152.1": "covered",
    });
    const reason =
      "outbound rules of other interfaces is not on the path: no port forward on wan for TCP 443 leads to an interface subnet of this config: the connection is read as ending on the firewall itself, which leaves through no interface";
    assert.deepEqual(
      lineVerdicts(out, IPS).filter(([, status]) => status === "inactive"),
      [
        [
          33,
          "inactive",
          "rules of other interfaces is not on the path: they filter traffic arriving on other interfaces than wan",
        ],
        [16, "inactive", reason],
        [25, "inactive", reason],
        [42, "inactive", reason],
        [50, "inactive", reason],
        [58, "inactive", reason],
      ],
    );
    // --path input says so: the same rules, another reason.
    assert.equal(
      parsePfsense(config(FORWARD), { path: "input" }).path?.contexts.at(-1)?.reason,
      "the connection ends on the firewall itself and leaves through no interface",
    );
  });

  // OPNsense reads a missing <direction> as "in" (FilterRule.php: 'direction' => 'parseReplaceSimple,any:|:in');
  // "any" is both ways there too.
  test("OPNsense: a floating rule without a direction is inbound only; with direction any it is met on LAN", () => {
    const opn = (direction: string) =>
      parsePfsense(
        config(FORWARD)
          .replace("<pfsense>", "<opnsense>")
          .replace("</pfsense>", "</opnsense>")
          .replace(
            "<source><address>3.74.148.8</address></source>",
            `${direction}<source><address>3.74.148.8</address></source>`,
          ),
      );
    assert.deepEqual(
      opn("")
        .entries.filter((e) => e.line === 33)
        .map((e) => e.context ?? 0),
      [1],
    );
    assert.equal(statuses(opn(""), ["3.74.148.8"])["3.74.148.8"], "covered");
    assert.deepEqual(
      opn("<direction>any</direction>")
        .entries.filter((e) => e.line === 33)
        .map((e) => e.context ?? 0),
      [1, 2],
    );
    assert.equal(statuses(opn("<direction>any</direction>"), ["3.74.148.8"])["3.74.148.8"], "missing");
  });
});
