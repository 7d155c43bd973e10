/**
 * Junos `show configuration` (curly-brace hierarchy): converted statement by statement to set/deactivate lines on
 * the same line numbers and read by the Junos set reader. Syntax from Juniper's "Junos OS CLI configuration
 * statement hierarchy" and "Use Configuration Groups" pages (inactive:, /* annotations *\/, apply-groups).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { splitLines } from "./common";
import { MAX_DEPTH, junosToSet, parseJunosHierarchy } from "./junos-hierarchy";
import { assertWins, pathRows, verdict } from "./hosts.testkit";
import { parseText } from "../registry";

const CONFIG = `## Last commit: 2026-11-02 09:14:11 UTC by admin
version 21.4R3-S5;
groups {
    FRESHWORKS-POLICY {
        security {
            policies {
                from-zone untrust to-zone trust {
                    policy allow-freshworks-eu {
                        match {
                            source-address fw-eu;
                            destination-address any;
                            application junos-https;
                        }
                        then {
                            permit;
                        }
                    }
                }
            }
        }
    }
    UNUSED {
        security {
            address-book {
                global {
                    address never-applied 198.51.100.0/24;
                }
            }
        }
    }
}
apply-groups FRESHWORKS-POLICY;
security {
    address-book {
        global {
            address fw-us-1 52.1.37.96/32;
            address fw-us-2 52.1.32.88/32;
            address fw-eu 3.74.148.8/30;
            /* retired 2026-10 */
            inactive: address fw-old 35.154.161.243/32;
            address-set FRESHWORKS-US {
                address fw-us-1;
                address fw-us-2;
            }
        }
    }
    policies {
        from-zone untrust to-zone trust {
            policy deny-retired {
                match {
                    source-address fw-us-2;
                    destination-address any;
                    application any;
                }
                then {
                    deny;
                }
            }
            policy allow-freshworks-us {
                match {
                    source-address FRESHWORKS-US;
                    destination-address any;
                    application [ junos-https junos-http ];
                }
                then {
                    permit;
                    log {
                        session-close;
                    }
                }
            }
            inactive: policy allow-old {
                match {
                    source-address fw-old;
                    destination-address any;
                    application any;
                }
                then {
                    permit;
                }
            }
        }
        default-policy {
            deny-all;
        }
    }
}
`;

describe("Junos show configuration", () => {
  test("statements become set/deactivate lines on their own line numbers; groups only where applied", () => {
    const { out, findings } = junosToSet(splitLines(CONFIG));
    assert.equal(out.length, 87);
    assert.equal(out[1], "set version 21.4R3-S5");
    assert.equal(
      out[9],
      "set security policies from-zone untrust to-zone trust policy allow-freshworks-eu match source-address fw-eu",
    );
    assert.equal(
      out[14],
      "set security policies from-zone untrust to-zone trust policy allow-freshworks-eu then permit",
    );
    assert.equal(out[24], "", "group UNUSED is never applied");
    assert.equal(out[29], "");
    assert.equal(out[35], "set security address-book global address fw-us-1 52.1.37.96/32");
    assert.equal(out[39], "deactivate security address-book global address fw-old 35.154.161.243/32");
    assert.equal(
      out[62],
      "set security policies from-zone untrust to-zone trust policy allow-freshworks-us match application [ junos-https junos-http ]",
    );
    assert.equal(out[71], "deactivate security policies from-zone untrust to-zone trust policy allow-old");
    assert.equal(out[83], "set security policies default-policy deny-all");
    assert.equal(
      out[73],
      "deactivate security policies from-zone untrust to-zone trust policy allow-old match source-address fw-old",
    );
    assert.deepEqual(
      findings.map((f) => [f.line, f.kind]),
      [[10, "note"]],
    );
  });

  test("exact entries and verdicts, texts from the original lines", () => {
    const out = parseJunosHierarchy(CONFIG);
    assert.deepEqual(pathRows(out), {
      entries: [
        [38, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443", "fw-eu", 10, "3.74.148.8/30", "", 0, ""],
        [37, "52.1.32.88", "cidr", "deny", "in", "", "", "fw-us-2", 51, "52.1.32.88/32", "", 0, ""],
        [
          36,
          "52.1.37.96",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,80",
          "FRESHWORKS-US>fw-us-1",
          61,
          "52.1.37.96/32",
          "",
          0,
          "",
        ],
        [
          37,
          "52.1.32.88",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443,80",
          "FRESHWORKS-US>fw-us-2",
          61,
          "52.1.32.88/32",
          "",
          0,
          "",
        ],
      ],
      findings: [
        [
          10,
          "note",
          'Security policies of group "FRESHWORKS-POLICY" are read in the order they are written; the device may evaluate inherited policies after the local ones of the same zone pair (check with "show configuration | display inheritance").',
        ],
        [72, "note", 'Policy "allow-old" is deactivated: it does not filter traffic.'],
      ],
      notes: [],
    });
    assert.equal(out.entries[0]!.text, "address fw-eu 3.74.148.8/30;");
    assert.equal(out.format, "junos-hierarchy");
    // The default policy (deny-all, line 84) is the fall-through of the zone pair's context.
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.line, c.fallthrough, c.onPath]),
      [["security policies from untrust to trust, then global", 84, "deny", true]],
    );
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked by line 37 in security policies from untrust to trust, then global.",
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 36.");
    assert.equal(verdict(out, "3.74.148.9"), "3.74.148.9 → TCP 443: allowed by line 38.");
    assert.equal(
      verdict(out, "35.154.161.243"),
      "35.154.161.243 → TCP 443: blocked — no rule of security policies from untrust to trust, then global (line 84) matches, and its default is deny.",
    );
  });

  test("broken braces and unclosed comments are findings; the rest still reads", () => {
    const out = parseJunosHierarchy(
      "security {\n    address-book {\n        global {\n            address a 52.1.37.96/32\n        }\n    }\n}\n}\n/* open\n",
    );
    assert.deepEqual(
      pathRows(out).findings.map((f) => [f[0], f[1]]),
      [
        [4, "not-understood"],
        [8, "not-understood"],
        [9, "not-understood"],
      ],
    );
  });

  test("detected as the hierarchy, and the set form stays with the set reader", () => {
    assertWins(CONFIG, "junos-hierarchy");
    assert.equal(
      parseText(
        "set security address-book global address a 52.1.37.96/32\nset security policies from-zone u to-zone t policy p match source-address a\n",
      ).format,
      "junos",
    );
  });
});

// "apply-groups-except G" at a level turns off the inheritance of G there and below (Juniper "Use Configuration
// Groups": https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-software-configuration-groups.html).
describe("junos-hierarchy: apply-groups-except", () => {
  const TEXT = `groups {
    POL {
        security {
            policies {
                from-zone untrust to-zone trust {
                    policy deny443 {
                        match {
                            source-address any;
                            destination-address any;
                            application junos-https;
                        }
                        then {
                            deny;
                        }
                    }
                }
            }
        }
    }
}
apply-groups POL;
security {
    zones {
        security-zone untrust {
            interfaces {
                ge-0/0/0.0;
            }
        }
        security-zone trust {
            interfaces {
                ge-0/0/1.0;
            }
        }
    }
    policies {
        apply-groups-except POL;
        from-zone untrust to-zone trust {
            policy p1 {
                match {
                    source-address any;
                    destination-address any;
                    application junos-https;
                }
                then {
                    permit;
                }
            }
        }
    }
}
`;
  test("the group's deny policy is not inherited under security policies", () => {
    assert.equal(verdict(parseJunosHierarchy(TEXT), "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 40.");
    const applied = parseJunosHierarchy(TEXT.replace("        apply-groups-except POL;\n", ""));
    assert.equal(verdict(applied, "52.1.37.96").includes("blocked by line 8"), true, verdict(applied, "52.1.37.96"));
  });
});

describe("junos-hierarchy: nesting depth", () => {
  const POLICY = `security {
    address-book {
        global {
            address A 52.1.37.96/32;
        }
    }
    policies {
        from-zone untrust to-zone trust {
            policy P {
                match {
                    source-address A;
                    destination-address any;
                    application junos-https;
                }
                then {
                    permit;
                }
            }
        }
    }
}
`;
  const nested = (depth: number) => `${POLICY}${"x {\n".repeat(depth)}y z;\n${"}\n".repeat(depth)}`;
  const skipped = [
    "not-understood",
    `Blocks nested deeper than ${MAX_DEPTH} levels are not read: this block and everything in it are skipped.`,
  ];

  test("blocks nested past 64 levels are skipped with one finding; the rest is read", () => {
    const deepest = parseJunosHierarchy(nested(64));
    assert.deepEqual(deepest.findings, []);
    const tooDeep = parseJunosHierarchy(nested(65));
    assert.deepEqual(
      tooDeep.findings.map((f) => [f.line, f.kind, f.message]),
      [[22 + MAX_DEPTH, ...skipped]],
    );
    assert.deepEqual(
      tooDeep.entries.map((e) => [e.line, e.action, e.token]),
      [[4, "allow", "52.1.37.96/32"]],
    );
  });

  test("a hostile paste of 100,000 nested blocks: one finding, not gigabytes of paths", () => {
    // Each block kept its path from the root: 20,000 nested blocks ran the process out of memory.
    const out = parseJunosHierarchy(nested(100_000));
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [[22 + MAX_DEPTH, ...skipped]],
    );
    assert.equal(out.lineCount, 21 + 2 * 100_000 + 1);
  });
});

describe("junos-hierarchy: delete: in a load file", () => {
  test("a statement marked delete: removes what was written for it above; it is not set", () => {
    const config = (extra: string) => `security {
    address-book {
        global {
            address A 52.1.37.96/32;
        }
    }
    policies {
        from-zone untrust to-zone trust {
            policy ALLOW {
                match {
                    source-address A;
                    destination-address any;
                    application junos-https;
                }
                then {
                    permit;
                }
            }
${extra}        }
    }
}
`;
    assert.deepEqual(
      parseJunosHierarchy(config("")).entries.map((e) => [e.ruleLine ?? e.line, e.action, e.token]),
      [[11, "allow", "52.1.37.96/32"]],
    );
    // It was read as "set … policy ALLOW", keeping the policy.
    const deleted = parseJunosHierarchy(config("            delete: policy ALLOW;\n"));
    assert.deepEqual(deleted.entries, []);
    assert.deepEqual(
      deleted.findings.map((f) => [f.line, f.kind, f.message]),
      [[19, "note", "Deletes what 4 lines set (lines 11–16): they are not read."]],
    );
  });
});

describe("junos hierarchy: inactive: inside a policy", () => {
  test("inactive: on a then leaf (count, log) leaves the policy permitting; on the whole then it does not", () => {
    const policy = (then: string) => `security {
    policies {
        from-zone untrust to-zone trust {
            policy allow-fresh {
                match {
                    source-address any;
                    destination-address any;
                    application junos-https;
                }
${then}
            }
        }
    }
    zones {
        security-zone untrust {
            interfaces {
                ge-0/0/0.0;
            }
        }
        security-zone trust {
            interfaces {
                ge-0/0/1.0;
            }
        }
    }
}
`;
    // Junos CLI User Guide, "deactivate": only the inactive statement is ignored by the commit.
    const count = parseJunosHierarchy(
      policy(
        "                then {\n                    permit;\n                    inactive: count;\n                }",
      ),
    );
    assert.equal(verdict(count, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 6.");
    const log = parseJunosHierarchy(
      policy(
        "                then {\n                    permit;\n                    inactive: log {\n                        session-init;\n                    }\n                }",
      ),
    );
    assert.equal(verdict(log, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 6.");
    const noAction = parseJunosHierarchy(
      policy("                inactive: then {\n                    permit;\n                }"),
    );
    assert.equal(
      verdict(noAction, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked — no rule of security policies from untrust to trust, then global matches, and its default is deny.",
    );
  });
});
