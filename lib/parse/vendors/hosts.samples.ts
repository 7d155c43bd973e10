/**
 * Synthetic configs for the host-firewall readers (issue 17), for the bench and the fuzz hang guard. Deterministic
 * from the seed; registered into sampleGenerators by samples.ts.
 */
import type { FormatId } from "../types";
import { type SampleGenerator, samplePrng } from "./samples";

function addresses(next: () => number): { v4: string; v4net: string; v6net: string } {
  const o = (n: number): number => Math.floor(next() * n);
  return {
    v4: `${1 + o(222)}.${o(256)}.${o(256)}.${o(256)}`,
    v4net: `${1 + o(222)}.${o(256)}.${o(256)}.0/24`,
    v6net: `2001:db8:${o(65536).toString(16)}::/48`,
  };
}

/** Lines from `unit(i)` until `lines` are written, after `head`. */
function fill(lines: number, head: readonly string[], unit: (i: number) => readonly string[]): string {
  const out = [...head];
  for (let i = 0; out.length < lines; i++) out.push(...unit(i));
  out.length = Math.max(lines, head.length);
  return out.join("\n") + "\n";
}

export const hostSampleGenerators: Partial<Record<FormatId, SampleGenerator>> = {
  ufw: (lines, seed) => {
    const next = samplePrng(seed);
    const head = ["Status: active", "Logging: on (low)", "Default: deny (incoming), allow (outgoing), disabled (routed)", "New profiles: skip", "", "     To                         Action      From", "     --                         ------      ----"];
    return fill(lines, head, (i) => {
      const { v4, v4net, v6net } = addresses(next);
      const n = `[${String(i + 1).padStart(2)}]`;
      if (i % 10 === 0) return [`${n} 8000:8100/tcp              ALLOW IN    ${v6net}`];
      if (i % 7 === 0) return [`${n} 443/tcp                    DENY IN     ${v4}`];
      if (i % 5 === 0) return [`${n} 443/tcp on eth0            ALLOW IN    ${v4net}                # site ${i}`];
      return [`${n} 443                        ALLOW IN    ${v4}`];
    });
  },
  firewalld: (lines, seed) => {
    const next = samplePrng(seed);
    const head = ["public (default, active)", "  target: default", "  interfaces: eth0", "  sources: ", "  services: ssh", "  ports: 8443/tcp", "  rich rules: "];
    const tail: string[] = [];
    const set: string[] = [];
    const body = fill(Math.max(lines - Math.floor(lines / 5), head.length), head, (i) => {
      const { v4, v4net, v6net } = addresses(next);
      if (i % 4 === 0) set.push(v4net);
      if (i % 10 === 0) return [`\trule family="ipv6" source address="${v6net}" service name="https" accept`];
      if (i % 7 === 0) return [`\trule family="ipv4" source address="${v4}" reject`];
      if (i === 5) return [`\trule priority="-5" family="ipv4" source ipset="fw" port port="443" protocol="tcp" accept`];
      return [`\trule family="ipv4" source address="${v4}" port port="443" protocol="tcp" accept`];
    });
    tail.push("fw", "  type: hash:net", "  options: family=inet", `  entries: ${set.join(" ")}`);
    return body + tail.join("\n") + "\n";
  },
  "junos-hierarchy": (lines, seed) => {
    const next = samplePrng(seed);
    const book: string[] = ["security {", "    address-book {", "        global {"];
    const policies: string[] = ["    policies {", "        from-zone untrust to-zone trust {"];
    const half = Math.floor(lines / 2);
    for (let i = 0; book.length + policies.length < lines - 8 && book.length < half; i++) {
      const { v4, v4net } = addresses(next);
      book.push(i % 9 === 0 ? `            inactive: address a${i} ${v4net};` : `            address a${i} ${v4}/32;`);
      if (i % 3 === 0) {
        policies.push(
          `            policy p${i} {`,
          "                match {",
          `                    source-address a${i};`,
          "                    destination-address any;",
          "                    application junos-https;",
          "                }",
          "                then {",
          `                    ${i % 7 === 0 ? "deny" : "permit"};`,
          "                }",
          "            }",
        );
      }
    }
    book.push("        }", "    }");
    return [...book, ...policies, "        }", "    }", "}"].join("\n") + "\n";
  },
  cloudflare: (lines, seed) => {
    const next = samplePrng(seed);
    const rules: string[] = [];
    for (let i = 0; rules.length * 7 < lines; i++) {
      const { v4, v4net } = addresses(next);
      const range = i % 3 === 0;
      rules.push(
        `    {\n      "id": "r${i}",\n      "mode": "${i % 11 === 0 ? "block" : "whitelist"}",\n      "configuration": { "target": "${range ? "ip_range" : "ip"}", "value": "${range ? v4net : v4}" },\n      "notes": "site ${i}"\n    }`,
      );
    }
    return `{\n  "result": [\n${rules.join(",\n")}\n  ],\n  "success": true\n}\n`;
  },
  "allowlist-json": (lines, seed) => {
    const next = samplePrng(seed);
    const prefixes: string[] = [];
    for (let i = 0; prefixes.length < lines; i++) {
      const { v4, v6net } = addresses(next);
      prefixes.push(i % 10 === 0 ? `    { "cidr": "${v6net}", "family": 6 }` : `    { "cidr": "${v4}/32", "family": 4, "regions": ["US"] }`);
    }
    return `{\n  "provider": "Freshworks",\n  "protocol": "tcp",\n  "ports": [{ "from": 443, "to": 443 }],\n  "prefixes": [\n${prefixes.join(",\n")}\n  ]\n}\n`;
  },
  mikrotik: (lines, seed) => {
    const next = samplePrng(seed);
    const list: string[] = ["/ip firewall address-list"];
    const filter: string[] = ["/ip firewall filter", "add action=accept chain=forward connection-state=established,related"];
    for (let k = 0; k < 20; k++) filter.push(`add action=accept chain=forward dst-port=443 protocol=tcp src-address-list=l${k}`);
    for (let i = 0; list.length + filter.length < lines; i++) {
      const { v4, v4net } = addresses(next);
      if (i % 2 === 0) list.push(`add address=${i % 4 === 0 ? v4net : v4} list=l${i % 20} comment="site ${i}"`);
      else filter.push(`add action=${i % 9 === 1 ? "drop" : "accept"} chain=forward dst-port=443,8000-8100 protocol=tcp src-address=${v4}${i % 11 === 0 ? " disabled=yes" : ""}`);
    }
    return [...list, ...filter, "add action=drop chain=forward in-interface-list=WAN"].join("\n") + "\n";
  },
  k8s: (lines, seed) => {
    const next = samplePrng(seed);
    const out: string[] = [];
    for (let i = 0; out.length < lines; i++) {
      out.push("---", "apiVersion: networking.k8s.io/v1", "kind: NetworkPolicy", "metadata:", `  name: p${i}`, "spec:", "  podSelector: {}", "  ingress:", "    - from:");
      for (let k = 0; k < 40; k++) {
        const { v4net, v6net } = addresses(next);
        out.push("        - ipBlock:", `            cidr: ${k % 10 === 0 ? v6net : v4net}`);
        if (k % 7 === 0) out.push("            except:", `              - ${v4net.replace(/0\/24$/, "128/25")}`);
      }
      out.push("      ports:", "        - protocol: TCP", "          port: 443", "        - port: 8000", "          endPort: 8100");
    }
    return out.join("\n") + "\n";
  },
  terraform: (lines, seed) => {
    const next = samplePrng(seed);
    const out: string[] = ["locals {", "  partners = {"];
    for (let k = 0; k < 50; k++) out.push(`    "${addresses(next).v4}/32" = "partner ${k}"`);
    out.push("  }", "}", "");
    for (let i = 0; out.length < lines; i++) {
      const { v4, v4net, v6net } = addresses(next);
      if (i % 5 === 0) {
        out.push(`resource "azurerm_network_security_rule" "r${i}" {`, `  name = "r${i}"`, `  priority = ${100 + (i % 3000)}`, '  direction = "Inbound"', `  access = "${i % 3 === 0 ? "Deny" : "Allow"}"`, '  protocol = "Tcp"', '  destination_port_range = "443"', `  source_address_prefixes = ["${v4}/32", "${v4net}"]`, "}", "");
      } else {
        out.push(`resource "aws_security_group" "g${i}" {`, "  ingress {", "    from_port = 443", "    to_port = 443", '    protocol = "tcp"', `    cidr_blocks = ["${v4}/32", "${v4net}"]`, `    ipv6_cidr_blocks = ["${v6net}"]`, "  }", "}", "");
      }
    }
    out.push('resource "aws_vpc_security_group_ingress_rule" "partners" {', "  for_each = local.partners", "  cidr_ipv4 = each.key", '  ip_protocol = "tcp"', "  from_port = 443", "  to_port = 443", "}");
    return out.join("\n") + "\n";
  },
  checkpoint: (lines, seed) => {
    const next = samplePrng(seed);
    const out: string[] = ["#!/bin/sh", "mgmt_cli add service-tcp name 'hooks' port '8000-8100' -s sid.txt"];
    for (let i = 0; out.length < lines - 1; i++) {
      const { v4, v4net } = addresses(next);
      const [net, len] = v4net.split("/");
      out.push(i % 3 === 0 ? `mgmt_cli add network name 'n${i}' subnet4 '${net}' mask-length4 ${len} groups.1 'g${i % 20}' -s sid.txt` : `mgmt_cli add host name 'h${i}' ip-address '${v4}' groups.1 'g${i % 20}' -s sid.txt`);
      if (i % 50 === 0) out.push(`mgmt_cli add access-rule layer 'Network' position 'bottom' name 'r${i}' source 'h${i + 1}' service.1 'https' service.2 'hooks' action '${i % 100 === 0 ? "Drop" : "Accept"}' -s sid.txt`);
    }
    for (let g = 0; g < 20; g++) out.push(`mgmt_cli add access-rule layer 'Network' position 'bottom' name 'g${g}' source 'g${g}' service 'https' action 'Accept' -s sid.txt`);
    return out.join("\n") + "\n";
  },
  pfsense: (lines, seed) => {
    const next = samplePrng(seed);
    const out: string[] = ['<?xml version="1.0"?>', "<pfsense>", "  <aliases>"];
    const half = Math.floor(lines / 2);
    for (let k = 0; out.length < half; k++) {
      const list = Array.from({ length: 8 }, () => addresses(next)).map((a, j) => (j % 2 === 0 ? a.v4 : a.v4net));
      out.push("    <alias>", `      <name>A${k}</name>`, "      <type>network</type>", `      <address>${list.join(" ")}</address>`, "    </alias>");
    }
    out.push("  </aliases>", "  <filter>");
    for (let k = 0; out.length < lines - 3; k++) {
      const { v4 } = addresses(next);
      out.push("    <rule>", `      <type>${k % 9 === 0 ? "block" : "pass"}</type>`, "      <interface>wan</interface>", "      <protocol>tcp</protocol>", `      <source><address>${k % 3 === 0 ? `A${k % 40}` : v4}</address></source>`, "      <destination><any></any><port>443</port></destination>", "    </rule>");
    }
    out.push("  </filter>", "</pfsense>");
    return out.join("\n") + "\n";
  },
  "nftables-json": (lines, seed) => {
    const next = samplePrng(seed);
    const objs: string[] = ['    { "metainfo": { "version": "1.0.6", "json_schema_version": 1 } }', '    { "table": { "family": "inet", "name": "filter", "handle": 1 } }'];
    const elems: string[] = [];
    for (let k = 0; k < 200; k++) elems.push(`{ "prefix": { "addr": "${addresses(next).v4net.split("/")[0]}", "len": 24 } }`);
    objs.push(`    { "set": { "family": "inet", "name": "allow", "table": "filter", "type": "ipv4_addr", "handle": 2, "flags": ["interval"], "elem": [${elems.join(", ")}] } }`);
    objs.push('    { "chain": { "family": "inet", "table": "filter", "name": "input", "handle": 3, "type": "filter", "hook": "input", "prio": 0, "policy": "drop" } }');
    for (let k = 0; objs.length < lines - 3; k++) {
      const { v4 } = addresses(next);
      const src = k === 5 ? '"@allow"' : `"${v4}"`;
      objs.push(`    { "rule": { "family": "inet", "table": "filter", "chain": "input", "handle": ${k + 4}, "expr": [{ "match": { "op": "==", "left": { "payload": { "protocol": "ip", "field": "saddr" } }, "right": ${src} } }, { "match": { "op": "==", "left": { "payload": { "protocol": "tcp", "field": "dport" } }, "right": 443 } }, { "${k % 7 === 0 ? "drop" : "accept"}": null }] } }`);
    }
    return `{\n  "nftables": [\n${objs.join(",\n")}\n  ]\n}\n`;
  },
  "panos-xml": (lines, seed) => {
    const next = samplePrng(seed);
    const head = ['<config version="10.2.0" urldb="paloaltonetworks">', "  <devices>", '    <entry name="localhost.localdomain">', "      <vsys>", '        <entry name="vsys1">', "          <address>"];
    const addrs: string[] = [];
    const rules: string[] = [];
    for (let k = 0; head.length + addrs.length + rules.length < lines - 12; k++) {
      const { v4, v4net } = addresses(next);
      addrs.push(`            <entry name="a${k}"><ip-netmask>${k % 3 === 0 ? v4net : v4}</ip-netmask></entry>`);
      if (k % 4 === 0) rules.push(`                <entry name="r${k}">`, `                  <source><member>a${k}</member></source>`, "                  <service><member>service-https</member></service>", `                  <action>${k % 12 === 0 ? "deny" : "allow"}</action>`, "                </entry>");
    }
    return [...head, ...addrs, "          </address>", "          <rulebase>", "            <security>", "              <rules>", ...rules, "              </rules>", "            </security>", "          </rulebase>", "        </entry>", "      </vsys>", "    </entry>", "  </devices>", "</config>"].join("\n") + "\n";
  },
  windows: (lines, seed) => {
    const next = samplePrng(seed);
    return fill(lines, [""], (i) => {
      const remote = Array.from({ length: 3 }, () => addresses(next)).map((a, k) => (k === 0 ? a.v4 : k === 1 ? a.v4net : a.v6net));
      return [
        `Rule Name:                            rule ${i}`,
        "----------------------------------------------------------------------",
        `Enabled:                              ${i % 13 === 0 ? "No" : "Yes"}`,
        "Direction:                            In",
        "Profiles:                             Domain,Private,Public",
        `RemoteIP:                             ${remote.join(",")}`,
        "Protocol:                             TCP",
        `LocalPort:                            ${i % 5 === 0 ? "8000-8100" : "443"}`,
        `Action:                               ${i % 7 === 0 ? "Block" : "Allow"}`,
        "",
      ];
    });
  },
};

/** Words of each format, for the fuzz test's random lines. */
export const HOST_VOCABULARY: Readonly<Partial<Record<FormatId, readonly string[]>>> = {
  ufw: "ufw allow deny reject limit insert 1 prepend delete route in out on eth0 from to any port proto tcp udp app comment default incoming routed enable disable reset Status: active inactive Default: (incoming), (outgoing), (routed) To Action From -- ALLOW DENY REJECT LIMIT IN OUT FWD Anywhere (v6) 22/tcp 80,443/tcp 8000:8100/tcp [ 1] # ### tuple ### route:allow limit_log 0.0.0.0/0 ::/0 in_eth0 comment=41 OpenSSH Nginx%20Full - *filter COMMIT -A ufw-user-input".split(" "),
  firewalld: 'public (default, active) target: default ACCEPT DROP %%REJECT%% interfaces: sources: services: ports: rich rules: ssh https 443/tcp 9000-9100/udp ipset:fw rule family="ipv4" family="ipv6" priority="-1" source not address="1.2.3.4" ipset="fw" port port="443" protocol="tcp" service name="https" accept reject drop log limit value="1/s" type: hash:net entries: firewall-cmd firewall-offline-cmd --permanent --zone=public --add-rich-rule= --add-source= --add-service=https --add-port=443/tcp --new-ipset=fw --ipset=fw --add-entry= \\ <zone> </zone> <zone target="DROP"> <rule> </rule> <source address="1.2.3.4"/> <service name="ssh"/> <port port="443" protocol="tcp"/> <accept/> <ipset type="hash:net"> <entry> </entry> ==> /etc/firewalld/zones/x.xml <=='.split(" "),
  cloudflare: '{ } [ ] , : "" "result" "mode" "whitelist" "block" "challenge" "configuration" "target" "ip" "ip6" "ip_range" "asn" "country" "value" "notes" "paused" true false null 443'.split(" "),
  "allowlist-json": '{ } [ ] , : "" "provider" "protocol" "tcp" "ports" "from" "to" 443 "prefixes" "cidr" "family" 4 6 "regions" "products" null'.split(" "),
  windows: "Rule Name: ---------- Enabled: Yes No Direction: In Out Profiles: Domain,Private,Public RemoteIP: Any LocalSubnet Internet Protocol: TCP UDP Any LocalPort: 443 8000-8100 RPC RemotePort: Action: Allow Block Bypass Ok. Name : DisplayName : Enabled : True False Direction : Inbound Outbound Action : RemoteAddress : {1.2.3.4, 5.6.7.0/255.255.255.0} $_ | Get-NetFirewallAddressFilter New-NetFirewallRule -DisplayName -Direction -Action -Protocol -LocalPort -RemoteAddress -RemotePort -Enabled $fw = @( ) ` ' Disable-NetFirewallRule Remove-NetFirewallRule Enable-NetFirewallRule Get-NetFirewallRule Set-NetFirewallRule -Name -ID -Group -All -WhatIf -NewDisplayName -Name:FW -EA | ; Fresh* FW-[UE]? [a [c-a] 'a,b' A, \"x`\"y\" @p $old Out-Null Where-Object { } netsh advfirewall firewall add set delete rule name=x name=all name=\"a b\" dir=in dir=out action=allow action=block action=bypass enable=no remoteip=1.2.3.4,5.6.7.0/24 remoteip=any localip=10.0.0.1 localport=443 remoteport=53 protocol=tcp protocol=icmpv4:8,any profile=public interfacetype=lan security=authenticate new group=g reset allprofiles publicprofile currentprofile state on off firewallpolicy blockinbound,allowoutbound ^ @echo REM ::".split(" "),
  mikrotik: "/ip /ipv6 firewall filter address-list raw nat add set remove action=accept action=drop action=jump chain=input chain=forward chain=custom src-address= src-address-list=l1 src-address=!1.2.3.4 list=l1 address= dst-port=443,8000-8100 protocol=tcp connection-state=new connection-state=established,related connection-nat-state=dstnat in-interface-list=WAN in-interface-list=!LAN disabled=yes comment=\"x\" \\ # by RouterOS enable disable [find] [find list=l1] [find where address=1.2.3.4 and list=l1] [find comment~\"x\"] [find !disabled] numbers=0 0,1".split(" "),
  k8s: "--- apiVersion: kind: NetworkPolicy List items: metadata: name: spec: podSelector: {} policyTypes: - Ingress Egress ingress: from: ipBlock: cidr: except: namespaceSelector: ports: protocol: TCP UDP port: 443 endPort: 8100 https [ ] & * ! | > '".split(" "),
  terraform: 'resource "aws_security_group" "aws_vpc_security_group_ingress_rule" "azurerm_network_security_rule" "google_compute_firewall" "x" { } [ ] ( ) = , . ingress egress allow deny from_port to_port protocol "tcp" "-1" cidr_blocks cidr_ipv4 each.key local.x locals for_each toset priority direction "Inbound" access "Deny" source_address_prefix "*" destination_port_range "443" source_ranges ports var.x <<EOF EOF # // /* */ "${a}" 443 8000'.split(" "),
  checkpoint: "mgmt_cli add set show host network address-range group service-tcp access-rule name 'x' ip-address subnet4 mask-length4 24 ip-address-first ip-address-last groups.1 members.add layer position top bottom 1 source source.1 destination service service.1 https Any action Accept Drop enabled false source-negate true -s sid.txt { } [ ] \"type\" \"access-rule\" \"objects-dictionary\" \"uid\"".split(" "),
  pfsense: "<?xml version=\"1.0\"?> <pfsense> </pfsense> <opnsense> <filter> </filter> <rule> </rule> <type>pass</type> <type>block</type> <interface>wan</interface> <floating>yes</floating> <quick>yes</quick> <source> </source> <address>A1</address> <any></any> <not/> <network>lan</network> <destination> </destination> <port>443</port> <disabled></disabled> <aliases> <alias> </alias> <name>A1</name> <type>network</type> <type>urltable</type> <![CDATA[x]]> &amp; &#x41;".split(" "),
  "nftables-json": '{ } [ ] , : "" "nftables" "metainfo" "table" "chain" "rule" "set" "family" "inet" "ip" "name" "filter" "input" "hook" "prio" "policy" "drop" "accept" "expr" "match" "op" "==" "!=" "left" "right" "payload" "protocol" "field" "saddr" "dport" "tcp" "prefix" "addr" "len" 24 "range" "@allow" "elem" "jump" "target" null 443'.split(" "),
  "panos-xml": '<config version="10.2.0" urldb="x"> </config> <devices> </devices> <entry name="a1"> </entry> <vsys> </vsys> <shared> </shared> <address> </address> <ip-netmask>1.2.3.0/24</ip-netmask> <ip-range>1.2.3.4-1.2.3.9</ip-range> <address-group> <static> <member>a1</member> <rulebase> <security> <rules> <source> </source> <service> <action>allow</action> <action>deny</action> <disabled>yes</disabled> <negate-source>yes</negate-source>'.split(" "),
  "junos-hierarchy": "{ } ; { } } inactive: protect: /* */ # ## version 21.4R3; groups G1 apply-groups [ G1 ] security address-book global address address-set a1 policies from-zone untrust to-zone trust policy p1 match source-address destination-address application junos-https any then permit deny reject default-policy deny-all firewall family inet filter F term T from source-address then accept discard <*>".split(" "),
};
