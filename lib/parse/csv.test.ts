import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress, mustParsePrefix } from "../ip/index";
import { detectCsv, parseCsv } from "./csv";
import type { Entry } from "./types";

function one(line: number, text: string, token: string, comment?: string): Entry {
  const a = mustParseAddress(token);
  return {
    line,
    text,
    token,
    range: { first: a, last: a },
    kind: "address",
    action: "allow",
    direction: "in",
    ...(comment ? { comment } : {}),
  };
}

describe("parseCsv", () => {
  test('header by name, quoted fields, "" escapes, CRLF, quoted newline, empty and bad cells', () => {
    const text =
      'Name,"IP Address",Region\r\nhook,52.1.37.96,US\r\n"a ""quoted"" one","3.74.148.8/32",EU\r\nbad,052.1.1.1,IN\r\n' +
      'multi,"1.2.3.4\n5.6.7.8",AU\r\nempty,,x\r\n\r\n';
    const cidr = mustParsePrefix("3.74.148.8/32");
    assert.deepEqual(parseCsv(text), {
      format: "csv",
      entries: [
        one(2, "hook,52.1.37.96,US", "52.1.37.96", "Name=hook; Region=US"),
        {
          line: 3,
          text: '"a ""quoted"" one","3.74.148.8/32",EU',
          token: "3.74.148.8/32",
          range: { first: cidr.address, last: cidr.address },
          kind: "cidr",
          prefix: cidr,
          action: "allow",
          direction: "in",
          comment: 'Name=a "quoted" one; Region=EU',
        },
        one(5, 'multi,"1.2.3.4', "1.2.3.4", "Name=multi; Region=AU"),
        one(5, 'multi,"1.2.3.4', "5.6.7.8", "Name=multi; Region=AU"),
      ],
      findings: [
        {
          line: 4,
          text: "bad,052.1.1.1,IN",
          kind: "ambiguous",
          message:
            'Ambiguous, not guessed: "052.1.1.1" — leading zero is ambiguous (octal?) ("IP Address" column, character 1).',
        },
        { line: 7, text: "empty,,x", kind: "invalid", message: 'No address in the "IP Address" column.' },
      ],
      lineCount: 8,
      notes: ['Addresses read from the "IP Address" column (separator ",").'],
    });
  });

  test('"Start IP" and "End IP" columns are one range per row; an "Enabled" FALSE row is never met', () => {
    // A firewall's address list exported as Name, Start IP, End IP, Enabled: the end column used to be left out
    // without a word (44.206.73.232 read alone, .233-.239 "missing").
    const out = parseCsv(
      "Name,Start IP,End IP,Enabled\nFreshworks US,44.206.73.232,44.206.73.239,TRUE\nFreshchat,52.1.37.96,52.1.37.96,TRUE\nOld,52.1.32.88,,FALSE\nTypo,52.1.32.89,52.1.32.90,maybe\n",
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.kind, `${e.range.first.value}-${e.range.last.value}`, e.unmet ?? ""]),
      [
        [2, "44.206.73.232-44.206.73.239", "range", `${0x2cce49e8}-${0x2cce49ef}`, ""],
        [3, "52.1.37.96", "address", `${0x34012560}-${0x34012560}`, ""],
        [4, "52.1.32.88", "address", `${0x34012058}-${0x34012058}`, 'the row is disabled ("Enabled" is FALSE)'],
        [5, "52.1.32.89-52.1.32.90", "range", `${0x34012059}-${0x3401205a}`, ""],
      ],
    );
    assert.deepEqual(out.findings, [
      {
        line: 5,
        text: "Typo,52.1.32.89,52.1.32.90,maybe",
        kind: "not-understood",
        message: '"maybe" in the "Enabled" column is not yes or no: the row is read without it.',
      },
    ]);
    assert.deepEqual(out.notes, [
      'Addresses read from the "Start IP" column to the "End IP" column (each row one range) (separator ",").',
    ]);
  });

  test("no header, semicolon separator, address column found by content", () => {
    const out = parseCsv("office;10.0.0.1\nlab;10.0.0.2 # rack 4\n");
    assert.deepEqual(out.entries, [
      one(1, "office;10.0.0.1", "10.0.0.1", "office"),
      one(2, "lab;10.0.0.2 # rack 4", "10.0.0.2", "lab; rack 4"),
    ]);
    assert.deepEqual(out.notes, ['Addresses read from column 2 (separator ";").']);
    assert.deepEqual(out.findings, []);
  });

  test("tab separator and an unknown header", () => {
    const out = parseCsv("who\twhere\nalice\t192.0.2.1\n");
    assert.deepEqual(out.entries, [one(2, "alice\t192.0.2.1", "192.0.2.1", "who=alice")]);
  });

  test("an unterminated quote is reported, not thrown", () => {
    const out = parseCsv('ip,name\n1.2.3.4,"open\n');
    assert.deepEqual(out.findings, [
      {
        line: 2,
        text: '1.2.3.4,"open',
        kind: "invalid",
        message: "A quoted field opened on line 2 is never closed; read to the end of the input.",
      },
    ]);
    assert.deepEqual(out.entries, [one(2, '1.2.3.4,"open', "1.2.3.4", "name=open")]);
  });

  test("detection: named column, content, a comma-separated plain list, a lone header column, prose", () => {
    assert.equal(detectCsv("name,ip\nx,1.2.3.4\n"), 0.9);
    assert.equal(detectCsv("office,1.2.3.4\nlab,5.6.7.8\n"), 0.6);
    assert.equal(detectCsv("1.2.3.4, 5.6.7.8\n9.9.9.9, 8.8.8.8\n"), 0.05);
    assert.equal(detectCsv("IP Address\n1.2.3.4\n5.6.7.8\n"), 0.5);
    assert.equal(detectCsv("allow 1.2.3.4;\nallow 5.6.7.8;\n"), 0.05);
    assert.equal(detectCsv("hello world\n"), 0);
    // One address and a "#" comment per line is a plain list: the commas are inside the comments.
    assert.equal(
      detectCsv("# header\n3.71.140.232/32 # EU Freshchat, Freddy\n3.74.148.8/30 # EU Freshchat, Freddy\n"),
      0,
    );
    assert.equal(detectCsv("office,1.2.3.4 # main, old\nlab,5.6.7.8 # lab, new\n"), 0.6);
  });

  // DESIGN.md "Rules of the engine": a deny never counts as coverage, an egress rule does not cover inbound webhooks;
  // a firewall's rule list exported as CSV says so in its action/direction/protocol/port columns.
  test("action, direction, protocol and port columns apply to the row's entries", () => {
    const out = parseCsv(
      'ip,action,direction,protocol,port,comment\n52.1.37.96,deny,in,tcp,443,old\n52.1.32.88,allow,in,tcp,80,web\n"18.208.240.77",Accept,Inbound,TCP,"80,443","hooks, main"\n52.201.75.8,allow,outbound,any,any,x\n3.74.148.8,maybe,in,tcp,443,y\n',
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.action, e.direction, e.protocol, e.ports?.map((p) => `${p.from}-${p.to}`)]),
      [
        [2, "deny", "in", "tcp", ["443-443"]],
        [3, "allow", "in", "tcp", ["80-80"]],
        [4, "allow", "in", "tcp", ["80-80", "443-443"]],
        [5, "allow", "out", undefined, undefined],
        [6, "allow", "in", "tcp", ["443-443"]],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          6,
          "not-understood",
          '"maybe" in the "action" column is not an allow or deny action: the row is read without it.',
        ],
      ],
    );
  });

  // AWS security group rules as CSV (IpProtocol, FromPort, ToPort, CidrIp; -1 means every protocol / port):
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
  test("FromPort/ToPort columns make one port range; -1 is any", () => {
    const out = parseCsv(
      "GroupId,IpProtocol,FromPort,ToPort,CidrIp,Description\nsg-1,tcp,443,443,52.1.37.96/32,hooks\nsg-1,tcp,80,80,52.1.32.88/32,web\nsg-1,-1,-1,-1,18.208.240.77/32,all\nsg-1,tcp,8000,9000,52.201.75.8/32,range\n",
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.protocol, e.ports?.map((p) => `${p.from}-${p.to}`)]),
      [
        [2, "tcp", ["443-443"]],
        [3, "tcp", ["80-80"]],
        [4, undefined, undefined],
        [5, "tcp", ["8000-9000"]],
      ],
    );
    assert.deepEqual(out.findings, []);
  });
  // The EC2 console lists a security group's inbound rules with the columns Name, Security group rule ID, IP version,
  // Type, Protocol, Port range, Source, Description (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html);
  // Azure names a rule's verdict "Access" (Allow/Deny) and its ports "Destination port ranges"
  // (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules). These
  // columns were not read, so an SSH rule (port range 22) counted as letting the webhooks to 443 in, and a Deny row
  // as an allow.
  test("Port range and Access columns (EC2 console, Azure NSG) apply to the row", () => {
    const out = parseCsv(
      "Name,Security group rule ID,IP version,Type,Protocol,Port range,Source,Description\n-,sgr-0a1,IPv4,SSH,TCP,22,52.1.37.96/32,admin\n-,sgr-0a2,IPv4,Custom TCP,TCP,8000 - 8080,52.1.32.88/32,alt\n-,sgr-0a3,IPv4,All traffic,All,All,18.208.240.77/32,all\n",
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.action, e.protocol, e.ports?.map((p) => `${p.from}-${p.to}`)]),
      [
        [2, "allow", "tcp", ["22-22"]],
        [3, "allow", "tcp", ["8000-8080"]],
        [4, "allow", undefined, undefined],
      ],
    );
    assert.deepEqual(out.findings, []);
    const azure = parseCsv(
      "Priority,Name,Source,Protocol,Destination port ranges,Access\n100,deny-one,52.1.37.96,Any,*,Deny\n200,allow-fw,52.1.32.88,TCP,443,Allow\n",
    );
    assert.deepEqual(
      azure.entries.map((e) => [e.line, e.action, e.protocol, e.ports?.map((p) => `${p.from}-${p.to}`)]),
      [
        [2, "deny", undefined, undefined],
        [3, "allow", "tcp", ["443-443"]],
      ],
    );
    assert.deepEqual(azure.findings, []);
  });
});
