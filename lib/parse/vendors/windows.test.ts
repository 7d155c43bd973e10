/**
 * Windows Defender Firewall: netsh and Show-NetFirewallRule listings and New-NetFirewallRule scripts, with exact
 * entries and verdicts. Output shapes from `netsh advfirewall firewall show rule` and Show-NetFirewallRule on
 * Windows Server 2022; precedence (block beats allow, default inbound block) from
 * https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/rules
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { NETSH_SCAN_LIMIT, parseWindows } from "./windows";
import { type PathRow, assertWins, pathRows, verdict } from "./hosts.testkit";

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

// New-NetFirewallRule and Set-NetFirewallRule check every -RemoteAddress before they change anything: one they cannot
// read fails the whole command (https://learn.microsoft.com/en-us/powershell/module/netsecurity/new-netfirewallrule,
// -RemoteAddress: "IP addresses, ranges, or subnets", or the keywords). The other addresses of a refused rule were
// read as allowed.
describe("Windows Firewall: a RemoteAddress the cmdlet refuses", () => {
  test("New-NetFirewallRule makes no rule, Set-NetFirewallRule changes nothing; keywords are addresses it takes", () => {
    const out = parseWindows(`$hooks = @(
  '52.1.37.96'
  'hooks.example.com'
)
New-NetFirewallRule -DisplayName 'A' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 443 -RemoteAddress $hooks
New-NetFirewallRule -DisplayName 'B' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 443 -RemoteAddress 52.1.32.88, LocalSubnet, Internet
Set-NetFirewallRule -DisplayName 'B' -RemoteAddress 18.208.240.77, 10.1
`);
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token]),
      [
        [6, "52.1.32.88"],
        [6, "Internet"],
        [6, "Internet"],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          3,
          "hostname",
          '"hooks.example.com" is a host name: only addresses can be checked. New-NetFirewallRule refuses the whole command ("The address is invalid"): no rule is made.',
        ],
        [6, "note", "LocalSubnet never holds an Internet sender: not read."],
        [
          6,
          "note",
          "The Internet keyword stands for addresses outside the local network, which Windows works out itself: read as any address.",
        ],
        [
          7,
          "ambiguous",
          '"10.1" is not an address, prefix or range: expected 4 octets, found 2 (shorthand like "10.1" is not allowed). Set-NetFirewallRule refuses the whole command ("The address is invalid"): nothing is changed.',
        ],
      ],
    );
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

/**
 * `netsh advfirewall` commands in a batch file or script (they were read as a plain list: every word an invalid
 * address, and an address after a comma counted as allowed whatever the rule said). Syntax and remarks of add, set and
 * delete rule: "Netsh AdvFirewall Firewall Commands",
 * https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/dd734783(v=ws.10);
 * set <profile> state|firewallpolicy and reset: "Netsh AdvFirewall Commands",
 * https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/dd734744(v=ws.10).
 */
describe("Windows Firewall: netsh advfirewall commands", () => {
  const BATCH = `@echo off
REM Freshworks webhooks (US)
:: run as administrator
netsh advfirewall set allprofiles state on
netsh advfirewall set allprofiles firewallpolicy blockinbound,allowoutbound
netsh advfirewall firewall delete rule name="Freshworks US"
netsh advfirewall firewall add rule name="Freshworks US" dir=in action=allow protocol=TCP localport=443 ^
    remoteip=18.208.240.77,52.1.32.88/32,44.206.73.232-44.206.73.239,3.74.148.8/255.255.255.252
netsh advfirewall firewall add rule name="Block one" dir=in action=block protocol=TCP localport=443 remoteip=52.1.32.88
netsh advfirewall firewall add rule name="No protocol" dir=in action=allow localport=443 remoteip=52.1.37.96
netsh advfirewall firewall add rule name="Shorthand" dir=in action=allow protocol=tcp localport=443 remoteip=52.1.37.96,10.1
netsh advfirewall firewall set rule name="Block one" new enable=no
netsh advfirewall firewall set rule group="remote desktop" new enable=Yes
pause
`;

  test("a batch file: rules made, one disabled; commands netsh refuses are findings and change nothing", () => {
    const out = parseWindows(BATCH);
    const fw = (address: string, range: string, kind: string) =>
      [8, range, kind, "allow", "in", "tcp", "443", "", 7, address, "Freshworks US", 0, ""] as PathRow;
    assert.deepEqual(pathRows(out), {
      entries: [
        [
          9,
          "52.1.32.88",
          "address",
          "deny",
          "in",
          "tcp",
          "443",
          "",
          0,
          "52.1.32.88",
          "Block one",
          0,
          "the rule is disabled",
        ],
        fw("18.208.240.77", "18.208.240.77", "address"),
        fw("52.1.32.88/32", "52.1.32.88", "cidr"),
        fw("44.206.73.232-44.206.73.239", "44.206.73.232/29", "range"),
        fw("3.74.148.8/255.255.255.252", "3.74.148.8/30", "cidr"),
      ],
      findings: [
        [6, "note", "No rule made above matches these criteria: nothing is deleted."],
        [
          10,
          "invalid",
          "netsh refuses this command (localport needs protocol=tcp or protocol=udp): nothing of it is applied.",
        ],
        [
          11,
          "invalid",
          'netsh refuses this command (remoteip: "10.1" is not an address, prefix or range: expected 4 octets, found 2 (shorthand like "10.1" is not allowed)): nothing of it is applied.',
        ],
        [
          13,
          "note",
          'The rules of the group "remote desktop" are Windows\' predefined rules, which this paste does not hold: nothing in it changes.',
        ],
      ],
      notes: [],
    });
    // 52.1.37.96 is only in the two refused rules: not allowed.
    assert.equal(
      verdict(out, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked — no rule of Windows Defender Firewall inbound rules (line 5) matches, and its default is deny.",
    );
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 8.");
    assert.equal(verdict(out, "3.74.148.11"), "3.74.148.11 → TCP 443: allowed by line 8.");
    assertWins(BATCH, "windows");
  });

  const add = (name: string, rest: string) =>
    `netsh advfirewall firewall add rule name="${name}" dir=in action=allow protocol=tcp localport=443 ${rest}`;

  test("delete rule: every rule of the name (or name=all) whose properties equal the criteria, in netsh's canonical forms", () => {
    const out = parseWindows(
      [
        add("A", "remoteip=192.0.2.1"), // 1
        add("A", "remoteip=192.0.2.2/255.255.255.255"), // 2: the same address as 192.0.2.2
        add("A", "remoteip=192.0.2.3").replace("dir=in", "dir=out"), // 3
        add("B", "remoteip=192.0.2.4,192.0.2.5"), // 4
        add("C", "remoteip=192.0.2.6").replace("localport=443", "localport=443,8443"), // 5
        add("C", "remoteip=192.0.2.7").replace("protocol=tcp", "protocol=udp"), // 6
        'netsh advfirewall firewall delete rule name="A" remoteip=192.0.2.2', // 7: rule 2 only
        'netsh advfirewall firewall delete rule name="A" dir=out', // 8: rule 3
        "netsh advfirewall firewall delete rule name=all remoteip=192.0.2.5,192.0.2.4/32", // 9: rule 4 (order aside)
        "netsh advfirewall firewall delete rule name=all protocol=6 localport=8443,443", // 10: rule 5
        'netsh advfirewall firewall delete rule name="A" dir=out', // 11: nothing left
        "netsh advfirewall firewall delete rule dir=in", // 12: refused, no name
        add("A", "remoteip=192.0.2.8"), // 13: a second rule named A (names need not be unique)
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.protocol ?? ""]),
      [
        [1, "192.0.2.1", "tcp"],
        [6, "192.0.2.7", "udp"],
        [13, "192.0.2.8", "tcp"],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [11, "note", "No rule made above matches these criteria: nothing is deleted."],
        [12, "invalid", "netsh refuses this command (delete rule needs name (or name=all)): nothing of it is applied."],
      ],
    );
    // Both rules named A go at once.
    const both = parseWindows(`${out.entries.length > 0 ? "" : ""}${add("A", "remoteip=192.0.2.1")}
${add("A", "remoteip=192.0.2.2")}
netsh advfirewall firewall delete rule name="A"
`);
    assert.deepEqual([both.entries.length, both.findings.length], [0, 0]);
  });

  test("set rule … new: replaces the properties named after new, on every matching rule; renames follow", () => {
    const out = parseWindows(
      [
        add("Web", "remoteip=192.0.2.1"), // 1
        add("Web", "remoteip=192.0.2.2").replace("dir=in", "dir=out"), // 2
        'netsh advfirewall firewall set rule name="Web" dir=in new remoteip=192.0.2.10,192.0.2.11 name="Hooks"', // 3
        'netsh advfirewall firewall set rule name="Hooks" new localport=8443', // 4
        'netsh advfirewall firewall set rule name="Web" new enable=no', // 5: the outbound rule
        'netsh advfirewall firewall set rule name="Hooks" new protocol=icmpv4:8,any', // 6: refused, its ports
        'netsh advfirewall firewall set rule name="Nope" new enable=no', // 7
        'netsh advfirewall firewall set rule name="Hooks"', // 8: no new
        'netsh advfirewall firewall set rule group="Remote Desktop" new action=allow', // 9: refused
        "netsh advfirewall firewall set rule name=all dir=out new action=block", // 10
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => [
        e.line,
        e.token,
        e.action,
        e.direction,
        e.ports?.map((p) => p.from).join(",") ?? "",
        e.comment,
        e.unmet ?? "",
      ]),
      [
        [2, "192.0.2.2", "deny", "out", "443", "Web", "the rule is disabled"],
        [3, "192.0.2.10", "allow", "in", "8443", "Hooks", ""],
        [3, "192.0.2.11", "allow", "in", "8443", "Hooks", ""],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          6,
          "invalid",
          'netsh refuses this command (on rule "Hooks", localport needs protocol=tcp or protocol=udp): nothing of it is applied.',
        ],
        [7, "note", "No rule made above matches these criteria: nothing is changed."],
        [8, "note", 'No values follow "new": netsh changes nothing.'],
        [
          9,
          "invalid",
          "netsh refuses this command (a group of rules can only be enabled or disabled): nothing of it is applied.",
        ],
        [10, "note", "name=all is read as every rule made above that matches the criteria."],
      ],
    );
  });

  test("set <profile> state and firewallpolicy, currentprofile read as public, reset", () => {
    const rule = add("Hook", "remoteip=52.1.37.96").replace("action=allow", "action=block");
    const off = parseWindows(`${rule}
netsh advfirewall set allprofiles state off
`);
    assert.equal(
      verdict(off, "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by the default of Windows Defender Firewall inbound rules.",
    );
    const open = parseWindows(`${rule}
netsh advfirewall set currentprofile firewallpolicy allowinbound,allowoutbound
`);
    assert.equal(verdict(open, "52.1.37.96"), `52.1.37.96 → TCP 443: blocked by line 1 in ${INBOUND}.`);
    assert.equal(
      verdict(open, "52.1.32.88"),
      "52.1.32.88 → TCP 443: allowed by the default of Windows Defender Firewall inbound rules.",
    );
    assert.deepEqual(
      open.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          2,
          "note",
          "currentprofile is the profile of the network the host is on when the command runs: read as the public profile, the one the Internet-facing interface is read as being in.",
        ],
        [
          2,
          "note",
          "The profiles' settings differ: the public profile's are read as those of the Internet-facing interface.",
        ],
      ],
    );
    // Only the domain profile opened: the public profile's block is what the Internet-facing interface meets.
    const domain = parseWindows(`netsh advfirewall set domainprofile state off
${add("Hook", "remoteip=52.1.37.96")}
`);
    assert.equal(verdict(domain, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 2.");
    assert.equal(
      verdict(domain, "52.1.32.88"),
      `52.1.32.88 → TCP 443: blocked — no rule of ${INBOUND} (line 1) matches, and its default is deny.`,
    );
    assert.deepEqual(
      domain.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          1,
          "note",
          "The profiles' settings differ: the public profile's are read as those of the Internet-facing interface.",
        ],
      ],
    );
    const reset = parseWindows(
      `netsh advfirewall set allprofiles state off
${add("Hook", "remoteip=52.1.37.96")}
netsh advfirewall reset
${add("Later", "remoteip=52.1.32.88")}
`,
    );
    assert.deepEqual(
      reset.entries.map((e) => [e.line, e.token]),
      [[4, "52.1.32.88"]],
    );
    assert.equal(
      verdict(reset, "52.1.37.96"),
      `52.1.37.96 → TCP 443: blocked — no rule of ${INBOUND} matches, and its default is deny.`,
    );
    assert.deepEqual(
      reset.findings.map((f) => [f.line, f.kind]),
      [[3, "note"]],
    );
  });

  test("what netsh refuses whole, what it cannot show, and cmd's quoting and carets", () => {
    const refused = (line: string) => {
      const out = parseWindows(`${line}
`);
      assert.equal(out.entries.length, 0, line);
      return out.findings.map((f) => `${f.kind}: ${f.message}`);
    };
    const tail = "): nothing of it is applied.";
    assert.deepEqual(refused(add("X", "remoteip=52.1.37.96 colour=blue")), [
      `invalid: netsh refuses this command (it takes no tag "colour"${tail}`,
    ]);
    assert.deepEqual(refused(add("X", "remoteip=52.1.37.96 remoteip=52.1.32.88")), [
      `invalid: netsh refuses this command (the tag "remoteip" is given twice${tail}`,
    ]);
    assert.deepEqual(refused("netsh advfirewall firewall add rule name=X dir=in remoteip=52.1.37.96"), [
      `invalid: netsh refuses this command (add rule needs action${tail}`,
    ]);
    assert.deepEqual(refused(add("all", "remoteip=52.1.37.96")), [
      `invalid: netsh refuses this command (a rule cannot be named "all"${tail}`,
    ]);
    assert.deepEqual(refused(add("X", "remoteip=52.1.37.96").replace("dir=in", "dir=inbound")), [
      `invalid: netsh refuses this command ("inbound" is not a value of dir${tail}`,
    ]);
    assert.deepEqual(refused(add("X", "remoteip=hooks.example.com")), [
      `invalid: netsh refuses this command (remoteip: "hooks.example.com" is a host name: only addresses can be checked${tail}`,
    ]);
    assert.deepEqual(refused("netsh firewall add portopening TCP 443 Hooks ENABLE CUSTOM 52.1.37.96"), [
      'not-understood: The "netsh firewall" context is deprecated and reaches only the domain and private profiles: not read (write it as netsh advfirewall firewall).',
    ]);
    assert.deepEqual(refused("netsh advfirewall import C:\\policy.wfw"), [
      "not-understood: The command netsh advfirewall import replaces the whole policy with a file that is not in the paste.",
    ]);
    // Quotes group words; a caret escapes the next character (here a blank) and, last on a line, continues it.
    const quoted = parseWindows(
      'netsh advfirewall firewall add rule "name=Fresh works" dir=in action=allow protocol=tcp ^\n  localport=443 description=a^ b remoteip=52.1.37.96\n',
    );
    assert.deepEqual(
      quoted.entries.map((e) => [e.line, e.token, e.comment]),
      [[2, "52.1.37.96", "Fresh works"]],
    );
    assert.deepEqual(quoted.findings, []);
  });

  test("name=all commands stop at NETSH_SCAN_LIMIT comparisons: each one past it is refused with a finding", () => {
    const n = 2300;
    const lines = [
      ...Array.from({ length: n }, (_, i) => add(`R${i}`, `remoteip=10.0.${i >> 8}.${i & 255}`)),
      ...Array.from({ length: n }, () => "netsh advfirewall firewall delete rule name=all dir=out"),
    ];
    const out = parseWindows(lines.join("\n"));
    assert.equal(out.entries.length, n);
    // Each command compares the 2,300 rules: 2,173 of them fit in 5,000,000 comparisons.
    const applied = Math.floor(NETSH_SCAN_LIMIT / n);
    assert.equal(applied, 2173);
    const refused = out.findings.filter((f) => f.kind === "invalid");
    assert.deepEqual(
      [refused.length, refused[0]?.line, out.findings.length - refused.length],
      [n - applied, n + applied + 1, applied],
    );
    assert.equal(
      refused[0]!.message,
      "Not applied: the name=all commands above already compared 5,000,000 rules, the limit one paste may take; the rules this command would change are read as they stand.",
    );
  });
});

/**
 * How Set-, Enable-, Disable-, Remove- and Get-NetFirewallRule pick the rules they work on
 * (https://learn.microsoft.com/powershell/module/netsecurity/disable-netfirewallrule,
 * https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallrule): -Name is the rule's Name (random
 * unless New-NetFirewallRule was given -Name: https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule),
 * -DisplayName the name shown; both take arrays of PowerShell wildcard patterns, compared ignoring case; [-Name] is
 * positional. -Name was matched against the display name, one exact string at a time, and a positional name was
 * dropped: rules switched off stayed counted as letting webhooks in, and rules left alone were read as off.
 */
describe("Windows Firewall: the rules a cmdlet picks by -Name and -DisplayName", () => {
  const rows = (text: string) => {
    const out = parseWindows(text);
    return {
      entries: out.entries.map((e) => [e.line, e.token, e.unmet ?? ""]),
      findings: out.findings.map((f) => [f.line, f.kind, f.message]),
    };
  };
  const NO_NAME =
    "(-Name is the rule's Name, random unless New-NetFirewallRule was given -Name; -DisplayName picks the name shown)";

  test("-Name matches the Name only, -DisplayName the display name only; a rule made with -Name alone shows its Name", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -DisplayName "Freshworks US" -Direction Inbound -Protocol TCP -LocalPort 443 -RemoteAddress 52.1.37.96 -Action Allow
New-NetFirewallRule -Name "FW-EU" -DisplayName "Freshworks EU" -Protocol TCP -LocalPort 443 -RemoteAddress 18.184.146.22 -Action Allow
New-NetFirewallRule -Name "FW-IN" -Protocol TCP -LocalPort 443 -RemoteAddress 13.232.159.10 -Action Allow
Disable-NetFirewallRule -Name "Freshworks US"
Disable-NetFirewallRule -DisplayName "FW-EU"
Set-NetFirewallRule -Name "fw-eu" -Enabled False
Disable-NetFirewallRule -DisplayName "FW-IN"
Enable-NetFirewallRule -ID FW-IN
`),
      {
        entries: [
          // The random Name of rule 1 is not "Freshworks US": it stays on.
          [1, "52.1.37.96", ""],
          [2, "18.184.146.22", "the rule is disabled"],
          [3, "13.232.159.10", ""],
        ],
        findings: [
          [4, "note", `No rule with the Name "Freshworks US" is defined above ${NO_NAME}: nothing is changed.`],
          [5, "note", 'No rule named "FW-EU" is defined above: nothing is changed.'],
        ],
      },
    );
  });

  test("a Name is unique: New-NetFirewallRule with a Name that exists is refused, and allowed again once it is removed", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -Name FW -DisplayName A -RemoteAddress 192.0.2.1
New-NetFirewallRule -Name fw -DisplayName B -RemoteAddress 192.0.2.2
Remove-NetFirewallRule -Name FW
New-NetFirewallRule -Name FW -DisplayName C -RemoteAddress 192.0.2.3
`),
      {
        entries: [[4, "192.0.2.3", ""]],
        findings: [
          [
            2,
            "invalid",
            'PowerShell refuses this New-NetFirewallRule command (a rule with the Name "fw" exists already, and a Name is unique in the store): nothing of it is applied.',
          ],
        ],
      },
    );
  });

  test("wildcards: * ? [set], ignoring case; a pattern that matches nothing is a note, an invalid one refuses the command", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -DisplayName "Freshworks US" -RemoteAddress 192.0.2.1
New-NetFirewallRule -DisplayName "Freshworks EU" -RemoteAddress 192.0.2.2
New-NetFirewallRule -DisplayName "My Freshworks" -RemoteAddress 192.0.2.3
New-NetFirewallRule -Name FW-IN -DisplayName India -RemoteAddress 192.0.2.4
New-NetFirewallRule -Name FW-AU -DisplayName Australia -RemoteAddress 192.0.2.5
New-NetFirewallRule -DisplayName "Odd[1]" -RemoteAddress 192.0.2.6
Disable-NetFirewallRule -DisplayName "freshworks*"
Disable-NetFirewallRule -Name "FW-[I]?"
Disable-NetFirewallRule -DisplayName "Nothing*"
Remove-NetFirewallRule -DisplayName 'Odd\`[1\`]'
Disable-NetFirewallRule -Name "FW-[AU"
`),
      {
        entries: [
          [1, "192.0.2.1", "the rule is disabled"],
          [2, "192.0.2.2", "the rule is disabled"],
          [3, "192.0.2.3", ""],
          [4, "192.0.2.4", "the rule is disabled"],
          [5, "192.0.2.5", ""],
        ],
        findings: [
          [9, "note", `No rule's display name matches "Nothing*" above: nothing is changed.`],
          [
            11,
            "invalid",
            'PowerShell refuses this Disable-NetFirewallRule command ("FW-[AU" is not a valid wildcard pattern): nothing of it is applied.',
          ],
        ],
      },
    );
  });

  test("a Name pattern reaches a rule made without -Name (its Name is random) only when it is all stars", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -DisplayName A -RemoteAddress 192.0.2.1
New-NetFirewallRule -Name FW-B -DisplayName B -RemoteAddress 192.0.2.2
Disable-NetFirewallRule -Name "FW-*"
Remove-NetFirewallRule -Name *
`),
      { entries: [], findings: [] },
    );
    assert.deepEqual(
      rows(`New-NetFirewallRule -DisplayName A -RemoteAddress 192.0.2.1
Disable-NetFirewallRule -Name "{*"
`),
      {
        entries: [[1, "192.0.2.1", ""]],
        findings: [[2, "note", `No rule's Name matches "{*" above: nothing is changed.`]],
      },
    );
  });

  test("lists: several names, quoted or bare, across a line ending in a comma, or from a variable", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -Name FW-US -DisplayName "Freshworks US" -RemoteAddress 192.0.2.1
New-NetFirewallRule -Name FW-EU -DisplayName "Freshworks EU" -RemoteAddress 192.0.2.2
New-NetFirewallRule -Name FW-IN -DisplayName "Acme, Inc" -RemoteAddress 192.0.2.3
New-NetFirewallRule -Name FW-AU -DisplayName Australia -RemoteAddress 192.0.2.4
New-NetFirewallRule -Name FW-UK -DisplayName "United Kingdom" -RemoteAddress 192.0.2.5
New-NetFirewallRule -Name FW-JP -DisplayName Japan -RemoteAddress 192.0.2.6
Remove-NetFirewallRule -DisplayName "Freshworks US","Freshworks EU"
Disable-NetFirewallRule -DisplayName 'Acme, Inc', Nope
Disable-NetFirewallRule -Name FW-AU,
  FW-UK
$old = @(
  'Japan'
)
Remove-NetFirewallRule -DisplayName $old
Remove-NetFirewallRule -DisplayName $unset
`),
      {
        entries: [
          [3, "192.0.2.3", "the rule is disabled"],
          [4, "192.0.2.4", "the rule is disabled"],
          [5, "192.0.2.5", "the rule is disabled"],
        ],
        findings: [
          [8, "note", 'No rule named "Nope" is defined above.'],
          [15, "undefined-reference", "$unset is not set in this paste: the command is not applied."],
        ],
      },
    );
  });

  test("the first unnamed argument is -Name; a second one, or one beside -Name or -DisplayName, fails the command", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -Name FW-US -DisplayName "Freshworks US" -RemoteAddress 192.0.2.1
New-NetFirewallRule -Name FW-EU -DisplayName "Freshworks EU" -RemoteAddress 192.0.2.2
New-NetFirewallRule -Name FW-IN -DisplayName India -RemoteAddress 192.0.2.3
New-NetFirewallRule -Name FW-AU -DisplayName Australia -RemoteAddress 192.0.2.4
Disable-NetFirewallRule "FW-US"
Set-NetFirewallRule FW-EU -RemoteAddress 192.0.2.9
Get-NetFirewallRule FW-IN | Remove-NetFirewallRule
Remove-NetFirewallRule FW-EU FW-AU
Remove-NetFirewallRule FW-AU -DisplayName Australia
New-NetFirewallRule -DisplayName Freshworks AU -RemoteAddress 192.0.2.5
`),
      {
        entries: [
          [1, "192.0.2.1", "the rule is disabled"],
          [6, "192.0.2.9", ""],
          [4, "192.0.2.4", ""],
        ],
        findings: [
          [
            8,
            "invalid",
            'PowerShell refuses this Remove-NetFirewallRule command (no parameter takes the argument "FW-AU"): nothing of it is applied.',
          ],
          [
            9,
            "invalid",
            'PowerShell refuses this Remove-NetFirewallRule command (-Name and -DisplayName cannot pick the rules together ("Parameter set cannot be resolved")): nothing of it is applied.',
          ],
          [
            10,
            "invalid",
            'PowerShell refuses this New-NetFirewallRule command (no parameter takes the argument "AU"): nothing of it is applied.',
          ],
        ],
      },
    );
  });

  // netsh's name= is the display name ("Rule Name:" in its listing), compared as before; "all" is every rule.
  test("netsh name= picks by display name beside the cmdlets, renames follow both ways, a netsh rule's Name is random", () => {
    assert.deepEqual(
      rows(`netsh advfirewall firewall add rule name="Hooks" dir=in action=allow protocol=tcp localport=443 remoteip=192.0.2.1
New-NetFirewallRule -Name FW-EU -DisplayName "Freshworks EU" -RemoteAddress 192.0.2.2
netsh advfirewall firewall set rule name="FW-EU" new enable=no
netsh advfirewall firewall set rule name="Freshworks EU" new name="Old EU"
Disable-NetFirewallRule -DisplayName "Old EU"
Enable-NetFirewallRule -Name Hooks
Set-NetFirewallRule -DisplayName Hooks -NewDisplayName Webhooks
netsh advfirewall firewall set rule name="Webhooks" new remoteip=192.0.2.7
netsh advfirewall firewall set rule name=all new enable=yes
Disable-NetFirewallRule -DisplayName Hooks
`),
      {
        entries: [
          [8, "192.0.2.7", ""],
          [2, "192.0.2.2", ""],
        ],
        findings: [
          [3, "note", "No rule made above matches these criteria: nothing is changed."],
          [6, "note", `No rule with the Name "Hooks" is defined above ${NO_NAME}: nothing is changed.`],
          [9, "note", "name=all is read as every rule made above that matches the criteria."],
          [10, "note", 'No rule named "Hooks" is defined above: nothing is changed.'],
        ],
      },
    );
  });
});

/**
 * The other ways the cmdlets pick rules (https://learn.microsoft.com/powershell/module/netsecurity/disable-netfirewallrule):
 * without -Name or -DisplayName, Enable-, Disable- and Remove-NetFirewallRule reach every rule ("Running this cmdlet
 * without parameters disables all Windows Firewall rules"); -Group and -Direction are a query; Get-NetFirewallRule's
 * rules piped on are the ones changed; -WhatIf changes nothing. Each was read as changing nothing, without a word.
 */
describe("Windows Firewall: the cmdlets' other ways of picking rules", () => {
  const rows = (text: string) => {
    const out = parseWindows(text);
    return {
      entries: out.entries.map((e) => [e.line, e.token, e.direction, e.unmet ?? ""]),
      findings: out.findings.map((f) => [f.line, f.kind, f.message]),
    };
  };

  test("-Group with -Direction, -WhatIf, a Get pipeline, a query that matches nothing, a query this reader cannot match", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -Name A -DisplayName A -Group freshworks -RemoteAddress 192.0.2.1
New-NetFirewallRule -Name B -DisplayName B -Group freshworks -Direction Outbound -RemoteAddress 192.0.2.2
New-NetFirewallRule -Name C -DisplayName C -Group other -RemoteAddress 192.0.2.3
New-NetFirewallRule -Name D -DisplayName D -RemoteAddress 192.0.2.4
Disable-NetFirewallRule -Group Fresh* -Direction Inbound
Remove-NetFirewallRule -Name C -WhatIf
Get-NetFirewallRule -DisplayName D | Remove-NetFirewallRule
Enable-NetFirewallRule -Group nope
Enable-NetFirewallRule -Owner "D:(A;;CC;;;S-1-5-18)"
Set-NetFirewallRule -Group other -Direction Outbound
`),
      {
        entries: [
          [1, "192.0.2.1", "in", "the rule is disabled"],
          [2, "192.0.2.2", "out", ""],
          // Set-NetFirewallRule's -Direction is the new direction, not a query.
          [3, "192.0.2.3", "out", ""],
        ],
        findings: [
          [6, "note", "-WhatIf: Remove-NetFirewallRule only shows what it would do; nothing is changed."],
          [8, "note", "No rule made above matches these parameters: nothing is changed."],
          [
            9,
            "not-understood",
            "-Owner picks rules by a property this reader does not keep: not applied; the rules it would change are read as they stand.",
          ],
        ],
      },
    );
  });

  test("no -Name, -DisplayName or query: every rule; a pipeline through another command is not read, one only shown is quiet", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -DisplayName A -RemoteAddress 192.0.2.1
New-NetFirewallRule -DisplayName B -RemoteAddress 192.0.2.2
Disable-NetFirewallRule
Get-NetFirewallRule | Where-Object { $_.DisplayName -eq 'A' } | Enable-NetFirewallRule
Get-NetFirewallRule -DisplayName "Nope*" | Format-Table
`),
      {
        entries: [
          [1, "192.0.2.1", "in", "the rule is disabled"],
          [2, "192.0.2.2", "in", "the rule is disabled"],
        ],
        findings: [
          [
            3,
            "note",
            "Disable-NetFirewallRule without -Name, -DisplayName or a query reaches every rule (its default parameter set, GetAll): the 2 rules made above are disabled.",
          ],
          [
            4,
            "not-understood",
            "Where-Object is not read: what it and the commands after it in the pipeline would change is not applied, the rules are read as they stand.",
          ],
        ],
      },
    );
  });

  test("common parameters and their aliases change nothing; splatted parameters are not read", () => {
    assert.deepEqual(
      rows(`New-NetFirewallRule -DisplayName A -RemoteAddress 192.0.2.1 -ErrorAction Stop
Disable-NetFirewallRule -DisplayName A -EA SilentlyContinue -Confirm:$false
New-NetFirewallRule @rule
Enable-NetFirewallRule @names
`),
      {
        entries: [[1, "192.0.2.1", "in", "the rule is disabled"]],
        findings: [
          [
            3,
            "not-understood",
            "The parameters splatted from @rule are not read: not applied; no rule is read from it.",
          ],
          [
            4,
            "not-understood",
            "The parameters splatted from @names are not read: not applied; the rules it would change are read as they stand.",
          ],
        ],
      },
    );
  });
});
