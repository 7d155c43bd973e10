import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_CALL_EXPANSION, isCheck, looksLikeShellScript, readShell, type ShellProblem } from "./shell";
import { parseText } from "../registry";

/** Each command as "line: words joined by |", heredocs as "<<first-last". */
const show = (text: string): string[] =>
  readShell(text).map(
    (c) => `${c.line.n}: ${c.words.join("|")}${c.heredoc ? ` <<${c.heredoc.map((l) => l.n).join(",")}` : ""}`,
  );

describe("shell reader", () => {
  test('functions with "$@" are expanded at the call\'s line; checks before || are left out', () => {
    const text = [
      "#!/bin/sh",
      "set -eu",
      'ipt() { iptables -w "$@"; }',
      "ipt -n -L web >/dev/null 2>&1 || ipt -N web",
      'allow() { ipt -C web "$@" 2>/dev/null || ipt -I web "$@"; }',
      'allow -s 192.0.2.1/32 -m comment --comment "a b" -j ACCEPT',
      "ipt -C INPUT -j web 2>/dev/null || ipt -I INPUT -j web",
    ].join("\n");
    assert.deepEqual(show(text), [
      "4: iptables|-w|-N|web",
      "6: iptables|-w|-I|web|-s|192.0.2.1/32|-m|comment|--comment|a b|-j|ACCEPT",
      "7: iptables|-w|-I|INPUT|-j|web",
    ]);
  });

  test("positional arguments, if-guards (then-branch), multi-line quotes, loops and pipelines", () => {
    const text = [
      "#!/bin/sh",
      'add() { ipset add "$1" "$2" -exist; }',
      "keep='",
      "192.0.2.1/32",
      "'",
      "ipset list x | grep -q y | while read -r m; do",
      '  case "$keep" in *"',
      "$m",
      '"*) ;; *) ipset del x "$m" ;; esac',
      "done",
      "if ipset list x >/dev/null 2>&1; then",
      "  add x 192.0.2.9",
      "else",
      "  ipset create x hash:net",
      "fi",
      "for a in 1 2; do ipset add x $a; done",
    ].join("\n");
    assert.deepEqual(show(text), ["12: ipset|add|x|192.0.2.9|-exist"]);
  });

  test("continuations keep each word's own line; heredoc bodies keep theirs", () => {
    const text = [
      'fw() { if [ "$running" = 1 ]; then firewall-cmd --permanent "$@"; else firewall-offline-cmd "$@"; fi; }',
      "fw --ipset=s \\",
      "  --add-entry=192.0.2.1 \\",
      "  --add-entry=192.0.2.2",
      "nft -f - <<'EOF'",
      "add element inet f s { 192.0.2.3 }",
      "",
      "EOF",
      "iptables-restore --noflush <<-END",
      "\t*filter",
      "\tEND",
      "echo done",
    ].join("\n");
    const cmds = readShell(text);
    assert.deepEqual(show(text), [
      "2: firewall-cmd|--permanent|--ipset=s|--add-entry=192.0.2.1|--add-entry=192.0.2.2",
      "5: nft|-f|- <<6,7",
      "9: iptables-restore|--noflush <<10",
    ]);
    assert.deepEqual(
      cmds[0]!.wordLines.map((l) => l.n),
      [2, 2, 2, 3, 4],
    );
    assert.equal(cmds[1]!.heredoc![0]!.text, "add element inet f s { 192.0.2.3 }");
  });

  test("what a check is", () => {
    assert.deepEqual(
      [
        ["iptables", "-w", "-C", "INPUT", "-j", "x"],
        ["iptables", "-n", "-L", "x"],
        ["ip6tables", "-S"],
        ["ipset", "list", "x"],
        ["firewall-cmd", "--permanent", "--query-rich-rule=rule"],
        ["firewall-cmd", "--info-ipset=x"],
        ["nft", "-a", "list", "ruleset"],
        ["ufw", "show", "added"],
        ["iptables", "-I", "INPUT", "-j", "x"],
        ["ipset", "add", "x", "192.0.2.1"],
        ["firewall-cmd", "--add-source=192.0.2.1"],
        ["nft", "add", "rule", "inet", "f", "input", "accept"],
        ["ufw", "allow", "from", "192.0.2.1"],
      ].map(isCheck),
      [true, true, true, true, true, true, true, true, false, false, false, false, false],
    );
  });

  test("what looks like a script", () => {
    assert.deepEqual(
      [
        "#!/bin/sh\nufw allow 22",
        'f() { iptables "$@"; }',
        "nft -f - <<'EOF'\nEOF",
        "#!/usr/sbin/nft -f\nadd table inet f",
        "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT",
        "table inet f {\n}",
      ].map(looksLikeShellScript),
      [true, true, true, false, false, false],
    );
  });

  test("never throws on broken shell; 20k helper calls are all read (their time: npm run bench:linear)", () => {
    const broken = [
      "f() {",
      "'unterminated",
      '"x',
      "if then fi fi done",
      "<<",
      "a ||",
      ") ) (",
      "case x in",
      "}}",
      "f() f() f()",
      '$@ "$1" $9',
      "\\",
    ];
    for (const a of broken)
      for (const b of broken) assert.ok(Array.isArray(readShell(`${a}\n${b}\nufw allow 1\n${a}${b}`)));
    // A function calling itself stops at the depth limit.
    assert.deepEqual(
      show('f() { f "$@"; ufw allow "$1"; }\nf 22'),
      Array.from({ length: 8 }, () => "2: ufw|allow|22"),
    );
    const line = 'ipt() { iptables -w "$@"; }\nallow() { ipt -C x "$@" 2>/dev/null || ipt -I x "$@"; }\n';
    const big = line + "allow -s 192.0.2.1 -j ACCEPT\n".repeat(20000);
    assert.equal(readShell(big).length, 20000);
  });
});

describe("the Linux readers through the shell reader: detected, entries on the script's own lines", () => {
  const rows = (text: string) => {
    const o = parseText(text);
    return {
      format: o.format,
      entries: o.entries.map((e) => `${e.line} ${e.action} ${e.token} ${e.ports?.map((p) => p.from).join(",") ?? ""}`),
      findings: o.findings.map((f) => `${f.line} ${f.kind}`),
    };
  };

  test("iptables: a wrapper, a -C guard, a restore heredoc into the same chain", () => {
    const text = [
      "#!/bin/sh",
      'ipt() { iptables -w "$@"; }',
      "ipt -n -L web >/dev/null 2>&1 || ipt -N web",
      "iptables-restore -w --noflush <<'EOF'",
      "*filter",
      ":web - [0:0]",
      "-A web -s 192.0.2.0/24 -p tcp --dport 443 -j ACCEPT",
      "COMMIT",
      "EOF",
      "ipt -C INPUT -j web 2>/dev/null || ipt -I INPUT -j web",
      "ipt -A INPUT -p tcp --dport 443 -j DROP",
    ].join("\n");
    assert.deepEqual(rows(text), {
      format: "iptables",
      entries: ["7 allow 192.0.2.0/24 443", "11 deny any 443"],
      findings: [],
    });
  });

  test("nftables: a heredoc and a guarded insert", () => {
    const text = [
      "#!/bin/sh",
      "set -eu",
      "nft -f - <<'EOF'",
      "add table inet t",
      "add chain inet t input { type filter hook input priority 0; policy drop; }",
      "add rule inet t input ip saddr 192.0.2.7 tcp dport 443 accept",
      "EOF",
      "nft list chain inet t input | grep -qF 'comment \"x\"' || nft 'insert rule inet t input ip saddr 198.51.100.1 drop comment \"x\"'",
    ].join("\n");
    assert.deepEqual(rows(text), {
      format: "nftables",
      entries: ["8 deny 198.51.100.1 ", "6 allow 192.0.2.7 443"],
      findings: [],
    });
  });

  test("ufw: a function wrapping ufw, a show-added guard", () => {
    const text = [
      "#!/bin/sh",
      'u() { ufw "$@"; }',
      "ufw show added | grep -qF '192.0.2.9' || u allow proto tcp from 192.0.2.9 to any port 443",
    ].join("\n");
    assert.deepEqual(rows(text), { format: "ufw", entries: ["3 allow 192.0.2.9 443"], findings: [] });
  });
});

describe("shell: function calls are bounded", () => {
  test("calls run at most 250,000 commands in all; the call past it is reported, it and later ones not read", () => {
    // A 500-line function called 600 times: 500 calls fit. 2,000 × 2,000 ran the process out of memory.
    const body = Array.from({ length: 500 }, (_, i) => `  iptables -A INPUT -s 10.0.${i >> 8}.${i & 255} -j ACCEPT`);
    const text = `#!/bin/sh\nf() {\n${body.join("\n")}\n}\n${"f\n".repeat(600)}`;
    const problems: ShellProblem[] = [];
    const commands = readShell(text, problems);
    assert.equal(MAX_CALL_EXPANSION, 250_000);
    assert.equal(commands.length, 500 * 500);
    assert.deepEqual(
      problems.map((p) => [p.line.n, p.message]),
      [[1004, "Function calls run more than 250,000 commands: this call and the ones after it are not read."]],
    );
  });
});

describe("shell: nesting is bounded", () => {
  test("20,000 nested groups, ifs and loops are read without a stack overflow (it overflowed and the reader failed)", () => {
    for (const [open, close] of [
      ["{", "}"],
      ["if true; then", "fi"],
      ["for a in x; do", "done"],
    ] as const) {
      const text = `#!/bin/sh\niptables -A INPUT -s 52.1.37.96 -j ACCEPT\n${`${open}\n`.repeat(20_000)}iptables -A INPUT -j DROP\n${`${close}\n`.repeat(20_000)}iptables -A INPUT -s 52.1.32.88 -j ACCEPT\n`;
      const problems: ShellProblem[] = [];
      const commands = readShell(text, problems);
      assert.deepEqual(
        commands.map((c) => c.line.n),
        [2, 40_004],
      );
      assert.deepEqual(
        problems.map((p) => [p.line.n, p.message]),
        [[67, "Compound commands nest more than 64 deep: this one and the commands inside it are not read."]],
      );
    }
  });
});
