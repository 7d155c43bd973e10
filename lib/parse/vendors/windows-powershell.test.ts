/**
 * PowerShell arguments as the NetSecurity cmdlets receive them ("about_Parsing",
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_parsing) and the wildcard patterns
 * of their -Name, -DisplayName and -Group values (WildcardPattern, src/System.Management.Automation/engine/regex.cs in
 * https://github.com/PowerShell/PowerShell, compared with IgnoreCase by the CIM cmdlets' clientSideQuery.cs).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type PsToken, psPattern, psTokens } from "./windows-powershell";

const LINE = { n: 1, text: "" };

function shown(tokens: readonly PsToken[]): string[] {
  return tokens.map((t) => {
    if (t.kind === "pipe" || t.kind === "end") return t.kind;
    if (t.kind === "param")
      return t.value === undefined ? `-${t.written}` : `-${t.written}:${JSON.stringify(t.value.items)}`;
    return `${JSON.stringify(t.value.items)}${t.value.open ? " open" : ""}`;
  });
}

describe("psTokens", () => {
  test("a comma makes an array whatever the blanks around it; quotes keep commas and blanks inside one element", () => {
    assert.deepEqual(
      shown(psTokens(`Remove-NetFirewallRule -DisplayName "Freshworks US","Acme, Inc" , 'It''s' -Name:FW-US`, LINE)),
      ['["Remove-NetFirewallRule"]', "-DisplayName", '["Freshworks US","Acme, Inc","It\'s"]', '-Name:["FW-US"]'],
    );
    assert.deepEqual(shown(psTokens("Disable-NetFirewallRule -Name FW-US,FW-EU", LINE)), [
      '["Disable-NetFirewallRule"]',
      "-Name",
      '["FW-US","FW-EU"]',
    ]);
  });

  test("backslashes are plain characters, a backtick escapes, a comment starts at #, a trailing comma leaves the array open", () => {
    assert.deepEqual(
      shown(psTokens('Set-NetFirewallRule -Program C:\\app\\hook.exe -Description "a`"b ""c""" x`,y # -Name z', LINE)),
      [
        '["Set-NetFirewallRule"]',
        "-Program",
        '["C:\\\\app\\\\hook.exe"]',
        "-Description",
        '["a\\"b \\"c\\""]',
        '["x,y"]',
      ],
    );
    assert.deepEqual(shown(psTokens("Disable-NetFirewallRule -DisplayName A,", LINE)), [
      '["Disable-NetFirewallRule"]',
      "-DisplayName",
      '["A"] open',
    ]);
  });

  test("pipes and semicolons split commands; a quoted dash is a value; typographic quotes are quotes", () => {
    assert.deepEqual(
      shown(
        psTokens("Get-NetFirewallRule FW | Remove-NetFirewallRule; Disable-NetFirewallRule '-x' \u2018A B\u2019", LINE),
      ),
      [
        '["Get-NetFirewallRule"]',
        '["FW"]',
        "pipe",
        '["Remove-NetFirewallRule"]',
        "end",
        '["Disable-NetFirewallRule"]',
        '["-x"]',
        '["A B"]',
      ],
    );
  });
});

describe("psPattern", () => {
  const matches = (pattern: string, values: string[]) => {
    const p = psPattern(pattern);
    assert.ok(p.ok);
    return values.map((v) => p.test(v));
  };

  test("* ? and [set] as WildcardPattern reads them, ignoring case, over the whole value", () => {
    assert.deepEqual(matches("Freshworks*", ["Freshworks US", "freshworks", "My Freshworks"]), [true, true, false]);
    assert.deepEqual(matches("FW-?S", ["FW-US", "fw-es", "FW-USA"]), [true, true, false]);
    assert.deepEqual(matches("FW-[UE][SU]", ["FW-US", "FW-EU", "FW-IN"]), [true, true, false]);
    assert.deepEqual(matches("[a-c]x", ["Bx", "dx"]), [true, false]);
    // A "]" right after "[" is a member of the set; a "-" at either end is a literal.
    assert.deepEqual(matches("[]]", ["]", "a"]), [true, false]);
    assert.deepEqual(matches("[-a]", ["-", "a", "b"]), [true, true, false]);
  });

  test("escapes and plain values: no wildcard, compared as strings ignoring case", () => {
    const escaped = psPattern("a`*b");
    assert.deepEqual(escaped.ok && [escaped.wildcard, escaped.literal], [false, "a*b"]);
    assert.deepEqual(matches("a`*b", ["A*B", "axxb"]), [true, false]);
    const plain = psPattern("Freshworks US");
    assert.deepEqual(plain.ok && [plain.wildcard, plain.literal], [false, "Freshworks US"]);
    assert.deepEqual(matches("Freshworks US", ["FRESHWORKS us", "Freshworks US2"]), [true, false]);
    // A lone trailing backtick is kept; "]" alone counts as a wildcard character (ContainsWildcardCharacters).
    assert.deepEqual(matches("x`", ["x`", "x"]), [true, false]);
    const bracket = psPattern("a]");
    assert.deepEqual(bracket.ok && [bracket.wildcard, bracket.test("a]")], [true, true]);
  });

  test("an unclosed [ and a reversed range are invalid patterns", () => {
    assert.deepEqual(
      ["[abc", "[c-a]", "FW-[US"].map((p) => psPattern(p).ok),
      [false, false, false],
    );
  });
});
