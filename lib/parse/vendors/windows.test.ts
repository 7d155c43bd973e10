/**
 * Windows Defender Firewall: netsh and Show-NetFirewallRule listings and New-NetFirewallRule scripts, with exact
 * entries and verdicts. Output shapes from `netsh advfirewall firewall show rule` and Show-NetFirewallRule on
 * Windows Server 2022; precedence (block beats allow, default inbound block) from
 * https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/rules
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseWindows } from "./windows";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const NETSH = `
Rule Name:                            Freshworks webhooks
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Profiles:                             Domain,Private,Public
Grouping:                             
LocalIP:                              Any
RemoteIP:                             52.1.37.96/32,3.74.148.8/255.255.255.252,44.206.73.232-44.206.73.239
Protocol:                             TCP
LocalPort:                            443
RemotePort:                           Any
Edge traversal:                       No
Action:                               Allow

Rule Name:                            Block abuse
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Profiles:                             Domain,Private,Public
Grouping:                             
LocalIP:                              Any
RemoteIP:                             52.1.37.96/32
Protocol:                             Any
Edge traversal:                       No
Action:                               Block

Rule Name:                            Old partner
----------------------------------------------------------------------
Enabled:                              No
Direction:                            In
Profiles:                             Public
Grouping:                             
LocalIP:                              Any
RemoteIP:                             52.1.32.88/32
Protocol:                             TCP
LocalPort:                            443
RemotePort:                           Any
Edge traversal:                       No
Action:                               Allow

Rule Name:                            Remote Desktop - User Mode (TCP-In)
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Profiles:                             Domain,Private
Grouping:                             Remote Desktop
LocalIP:                              Any
RemoteIP:                             LocalSubnet
Protocol:                             TCP
LocalPort:                            3389
RemotePort:                           Any
Edge traversal:                       No
Action:                               Allow
Ok.

`;

const SHOW = `
Name                          : {4B1A7C1E-2F3D-4E5F-8A9B-0C1D2E3F4A5B}
DisplayName                   : Freshworks webhooks
Description                   : Freshchat webhooks
Enabled                       : True
Profile                       : Any
Direction                     : Inbound
Action                        : Allow
EdgeTraversalPolicy           : Block
PrimaryStatus                 : OK
Status                        : The rule was parsed successfully from the store. (65536)
PolicyStoreSource             : PersistentStore

$_ | Get-NetFirewallAddressFilter
     LocalAddress             : Any
     RemoteAddress            : {52.1.37.96, 3.74.148.8/255.255.255.252}

$_ | Get-NetFirewallPortFilter
     Protocol                 : TCP
     LocalPort                : {443, 8443}
     RemotePort               : Any
     IcmpType                 : Any

Name                          : BlockOutbound
DisplayName                   : Block telemetry
Enabled                       : True
Direction                     : Outbound
Action                        : Block

$_ | Get-NetFirewallAddressFilter
     LocalAddress             : Any
     RemoteAddress            : 52.1.32.88

Name                          : WebOnlyListing
DisplayName                   : Listed without filters
Enabled                       : True
Direction                     : Inbound
Action                        : Allow
`;

const SCRIPT = `$ErrorActionPreference = 'Stop'
$fw = @(
  '52.1.37.96'
  '3.74.148.8/30'
)
New-NetFirewallRule -DisplayName 'Freshworks' -Direction Inbound -Action Allow -Protocol TCP \`
  -LocalPort 443 -RemoteAddress $fw | Out-Null
New-NetFirewallRule -DisplayName 'Deny one' -Direction Inbound -Action Block -RemoteAddress 3.74.148.9
New-NetFirewallRule -DisplayName 'From port 53' -Direction Inbound -Action Allow -Protocol UDP -RemotePort 53 -RemoteAddress 52.1.32.88
Disable-NetFirewallRule -DisplayName 'From port 53'
`;

const INBOUND = "Windows Defender Firewall inbound rules";

describe("Windows Firewall", () => {
  test("netsh: block wins over an earlier allow, disabled rules never met, netmask and range forms, LocalSubnet", () => {
    const out = parseWindows(NETSH);
    assert.deepEqual(pathRows(out), {
      entries: [
        [23, "52.1.37.96", "cidr", "deny", "in", "", "", "", 16, "52.1.37.96/32", "Block abuse", 0, ""],
        [9, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 2, "52.1.37.96/32", "Freshworks webhooks", 0, ""],
        [
          9,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "",
          2,
          "3.74.148.8/255.255.255.252",
          "Freshworks webhooks",
          0,
          "",
        ],
        [
          9,
          "44.206.73.232/29",
          "range",
          "allow",
          "in",
          "tcp",
          "443",
          "",
          2,
          "44.206.73.232-44.206.73.239",
          "Freshworks webhooks",
          0,
          "",
        ],
        [
          35,
          "52.1.32.88",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "",
          28,
          "52.1.32.88/32",
          "Old partner",
          0,
          "the rule is disabled",
        ],
      ],
      findings: [[49, "note", "LocalSubnet never holds an Internet sender: not read."]],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), `52.1.37.96 → TCP 443: blocked by line 23 in ${INBOUND}.`);
    assert.equal(verdict(out, "3.74.148.11"), "3.74.148.11 → TCP 443: allowed by line 9.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      `52.1.32.88 → TCP 443: blocked — no rule of ${INBOUND} matches, and its default is deny.`,
    );
    assertWins(NETSH, "windows");
  });

  test("Show-NetFirewallRule: filter sections belong to the rule above; a rule listed without filters is not guessed", () => {
    const out = parseWindows(SHOW);
    assert.deepEqual(pathRows(out), {
      entries: [
        [32, "52.1.32.88", "address", "deny", "out", "", "", "", 24, "52.1.32.88", "Block telemetry", 0, ""],
        [
          16,
          "52.1.37.96",
          "address",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "",
          2,
          "52.1.37.96",
          "Freshworks webhooks",
          0,
          "",
        ],
        [
          16,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,8443",
          "",
          2,
          "3.74.148.8/255.255.255.252",
          "Freshworks webhooks",
          0,
          "",
        ],
      ],
      findings: [
        [
          34,
          "not-understood",
          'Rule "Listed without filters": the listing does not show its addresses and ports (pipe it through Show-NetFirewallRule, or paste netsh advfirewall firewall show rule name=all).',
        ],
      ],
      notes: [],
    });
    assertWins(SHOW, "windows");
  });

  test("New-NetFirewallRule scripts: arrays, backtick continuation, Disable-NetFirewallRule, RemotePort", () => {
    const out = parseWindows(SCRIPT);
    assert.deepEqual(pathRows(out), {
      entries: [
        [8, "3.74.148.9", "address", "deny", "in", "", "", "", 0, "3.74.148.9", "Deny one", 0, ""],
        [3, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 6, "52.1.37.96", "Freshworks", 0, ""],
        [4, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443", "", 6, "3.74.148.8/30", "Freshworks", 0, ""],
        [
          9,
          "52.1.32.88",
          "address",
          "allow",
          "in",
          "udp",
          "",
          "",
          0,
          "52.1.32.88",
          "From port 53",
          0,
          "the rule is disabled",
        ],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 8 in ${INBOUND}.`);
    assert.equal(verdict(out, "3.74.148.10"), "3.74.148.10 → TCP 443: allowed by line 4.");
    assertWins(SCRIPT, "windows");
  });

  // Authenticated bypass ("Action: Bypass", OverrideBlockRules) and "allow if secure" (Security/Authentication
  // Required) rules match IPsec-protected connections only: https://learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2008-R2-and-2008/cc754873(v=ws.10)
  // and https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule (-Authentication, -OverrideBlockRules).
  test("Bypass and secure-only allow rules are not met by the vendor's plain TCP connections; ICMP type lines", () => {
    const text = `
Rule Name:                            IPsec bypass
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
RemoteIP:                             44.206.73.232/32
Protocol:                             TCP
LocalPort:                            443
RemotePort:                           Any
Action:                               Bypass

Rule Name:                            Secure only
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
RemoteIP:                             3.74.148.8/32
Protocol:                             TCP
LocalPort:                            443
RemotePort:                           Any
Security:                             Authenticate
Action:                               Allow

Rule Name:                            Ping
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
RemoteIP:                             Any
Protocol:                             ICMPv4
                                      Type    Code
                                      8       Any
Action:                               Allow
Ok.
`;
    const out = parseWindows(text);
    assert.deepEqual(out.findings, []);
    assert.match(verdict(out, "44.206.73.232"), /blocked/);
    assert.match(verdict(out, "3.74.148.8"), /blocked/);
    const ps = parseWindows(
      "New-NetFirewallRule -DisplayName 'hooks' -Direction Inbound -Protocol TCP -LocalPort 443 -RemoteAddress 52.1.37.96 -Action Allow -Authentication Required\n",
    );
    assert.match(verdict(ps, "52.1.37.96"), /blocked/);
  });

  // Format-List shows at most $FormatEnumerationLimit (4) items and ends the list with "...":
  // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables#formatenumerationlimit
  test("a RemoteAddress list cut short by Format-List is a finding, the shown addresses are read", () => {
    const text = `Name                  : {6b1a0d0e-0000-4a3b-9c55-0e5f2a1b7c11}
DisplayName           : Freshworks webhooks
Enabled               : True
Direction             : Inbound
Action                : Allow

$_ | Get-NetFirewallAddressFilter
     LocalAddress             : Any
     RemoteAddress            : {52.1.37.96, 52.1.32.88, 18.208.240.77, 52.201.75.8...}

$_ | Get-NetFirewallPortFilter
     Protocol                 : TCP
     LocalPort                : 443
     RemotePort               : Any
`;
    const out = parseWindows(text);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [[9, "not-understood"]],
    );
    assert.match(verdict(out, "52.201.75.8"), /allowed/);
  });

  // A rule with -Program, -Service or -Profile matches only connections to that program or service, and only while the
  // interface is in one of those profiles (New-NetFirewallRule,
  // https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule). The listing says neither which
  // program answers on the port nor the Internet-facing interface's profile: the rule is read as applying, and a note
  // on its line says what that assumes. A rule the webhook never meets (another port, LocalSubnet) gets no note.
  test("rules limited to a program, a service or some profiles are read as applying, with a note saying so", () => {
    const ps =
      parseWindows(`New-NetFirewallRule -DisplayName 'App' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 443 -RemoteAddress 52.1.37.96 -Program 'C:\\app\\hook.exe' -Profile Domain
New-NetFirewallRule -DisplayName 'Web' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 443 -RemoteAddress 52.1.32.88 -Service w3svc
New-NetFirewallRule -DisplayName 'No RDP' -Direction Inbound -Action Block -Protocol TCP -LocalPort 3389 -Profile Public
New-NetFirewallRule -DisplayName 'Every profile' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 443 -RemoteAddress 18.208.240.77 -Profile Domain,Private,Public
New-NetFirewallRule -DisplayName 'Cut' -Direction Inbound -Action Block -RemoteAddress 52.1.32.88 -Profile Public,Private
`);
    assert.deepEqual(
      ps.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1,
          "note",
          'Rule "App" applies only to connections to the program C:\\app\\hook.exe, in the Domain profile: it is read as applying to the webhook\'s connection. If the service is not that program or service, or the Internet-facing interface is in another profile, this rule does not let it in.',
        ],
        [
          2,
          "note",
          'Rule "Web" applies only to connections to the service w3svc: it is read as applying to the webhook\'s connection. If the service is not that program or service, this rule does not let it in.',
        ],
        [
          5,
          "note",
          'Rule "Cut" applies only in the Public, Private profiles: it is read as applying to the webhook\'s connection. If the Internet-facing interface is in another profile, this rule does not block it.',
        ],
      ],
    );
    assert.match(verdict(ps, "52.1.37.96"), /allowed/);
    assert.match(verdict(ps, "52.1.32.88"), /blocked/);
    assert.match(verdict(ps, "18.208.240.77"), /allowed/);
  });
});

describe("Windows Firewall: Remove-NetFirewallRule in a script", () => {
  // Remove-NetFirewallRule -DisplayName X deletes every rule of that display name that exists then; a rule made
  // later with the name is another rule (https://learn.microsoft.com/en-us/powershell/module/netsecurity/remove-netfirewallrule).
  // Set-NetFirewallRule: https://learn.microsoft.com/en-us/powershell/module/netsecurity/set-netfirewallrule
  test("every rule of the name made so far goes, rules made after it stay, Set and Disable reach only those", () => {
    const make = (name: string, address: string) =>
      `New-NetFirewallRule -DisplayName '${name}' -Direction Inbound -Action Allow -RemoteAddress ${address}`;
    const out = parseWindows(
      [
        make("A", "192.0.2.1"),
        make("B", "192.0.2.2"),
        make("A", "192.0.2.3"),
        "Remove-NetFirewallRule -DisplayName 'A'",
        make("A", "192.0.2.4"),
        "Set-NetFirewallRule -DisplayName 'A' -RemoteAddress 192.0.2.5",
        "Remove-NetFirewallRule -DisplayName 'C'",
        "Remove-NetFirewallRule -DisplayName 'B'",
        make("B", "192.0.2.6"),
        "Disable-NetFirewallRule -DisplayName 'A'",
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.unmet ?? ""]),
      // Set-NetFirewallRule -RemoteAddress replaced 192.0.2.4 (it was read as one more address, still counted).
      [
        [6, "192.0.2.5", "the rule is disabled"],
        [9, "192.0.2.6", ""],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [[7, "note", 'No rule named "C" is defined above: nothing is changed.']],
    );
  });
});

/**
 * The profile settings decide what no rule decides, and whether the rules apply at all: a profile with the firewall
 * off lets everything in, DefaultInboundAction Allow lets in what no block rule stops, BlockInboundAlways ignores the
 * allow rules (INetFwPolicy2 DefaultInboundAction, "Block by default":
 * https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-get_defaultinboundaction;
 * Set-NetFirewallProfile -Enabled, -DefaultInboundAction: https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile).
 * `netsh advfirewall show allprofiles` and Get-NetFirewallProfile were lines not understood and the default read as
 * block: a host with its firewall off was reported as blocking every webhook.
 */
describe("Windows Firewall profiles", () => {
  const RULE = `Rule Name:                            Freshworks IN
----------------------------------------------------------------------
Enabled:                              Yes
Direction:                            In
Profiles:                             Domain,Private,Public
Grouping:                             
LocalIP:                              Any
RemoteIP:                             13.232.152.0/255.255.255.0
Protocol:                             TCP
LocalPort:                            443
RemotePort:                           Any
Edge traversal:                       No
Action:                               Block
Ok.
`;
  const profiles = (state: string, policy: string) => `
Domain Profile Settings:
----------------------------------------------------------------------
State                                 ON
Firewall Policy                       BlockInbound,AllowOutbound
LocalFirewallRules                    N/A (GPO-store only)
LocalConSecRules                      N/A (GPO-store only)
InboundUserNotification               Enable
RemoteManagement                      Disable
UnicastResponseToMulticast            Enable

Logging:
LogAllowedConnections                 Disable
LogDroppedConnections                 Disable
FileName                              %systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log
MaxFileSize                           4096

Public Profile Settings:
----------------------------------------------------------------------
State                                 ${state}
Firewall Policy                       ${policy}
LocalFirewallRules                    N/A (GPO-store only)

Logging:
LogAllowedConnections                 Disable
Ok.

`;
  test("netsh advfirewall show allprofiles: the Public profile's state and inbound policy", () => {
    const on = parseWindows(profiles("ON", "BlockInbound,AllowOutbound") + RULE);
    assert.equal(
      verdict(on, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked — no rule of Windows Defender Firewall inbound rules (line 18) matches, and its default is deny.",
    );
    assert.deepEqual(
      on.findings.map((f) => [f.line, f.kind]),
      [],
    );
    const open = parseWindows(profiles("ON", "AllowInbound,AllowOutbound") + RULE);
    assert.equal(
      verdict(open, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of Windows Defender Firewall inbound rules.",
    );
    assert.equal(
      verdict(open, "13.232.152.1"),
      "13.232.152.1 → TCP 443: blocked by line 35 in Windows Defender Firewall inbound rules.",
    );
    assert.deepEqual(
      open.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          18,
          "note",
          "The profiles' settings differ: the public profile's are read as those of the Internet-facing interface.",
        ],
      ],
    );
    const off = parseWindows(profiles("OFF", "BlockInbound,AllowOutbound") + RULE);
    assert.equal(
      verdict(off, "13.232.152.1"),
      "13.232.152.1 → TCP 443: allowed by the default of Windows Defender Firewall inbound rules.",
    );
    const always = parseWindows(
      profiles("ON", "BlockInboundAlways,AllowOutbound") + RULE.replace("Block\nOk.", "Allow\nOk."),
    );
    assert.match(verdict(always, "13.232.152.1"), /blocked — no rule/);
  });

  test("Get-NetFirewallProfile | Format-List is a profile, not a rule without filters; NotConfigured leaves it on", () => {
    const ps = `Name                  : Public
Enabled               : True
DefaultInboundAction  : Allow
DefaultOutboundAction : Allow
`;
    const out = parseWindows(ps + "\n" + RULE);
    assert.equal(out.findings.length, 0);
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of Windows Defender Firewall inbound rules.",
    );
    const notConfigured = parseWindows(
      ps.replace("True", "NotConfigured").replace(": Allow\nDefaultOut", ": NotConfigured\nDefaultOut") + "\n" + RULE,
    );
    assert.match(verdict(notConfigured, "52.1.37.96"), /blocked — no rule/);
  });
});
