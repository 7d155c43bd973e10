import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "../ip/address";
import { parseTerm } from "../parse/plain";
import type { Entry, ParseOutput } from "../parse/types";
import { diff } from "./engines/objects";
import { diffReport, diffReportJson, emitDiffReportJson, pathReport, rowsOfResult, traceReport } from "./report";
import { SEED_CATALOG } from "./seed.fixture";
import { trace } from "./trace";

function e(line: number, token: string, extra: Partial<Entry> = {}): Entry {
  const t = parseTerm(token);
  if (!t.ok) throw new Error(token);
  return {
    line,
    text: `rule ${line}`,
    token,
    range: t.range,
    kind: t.kind,
    ...(t.prefix ? { prefix: t.prefix } : {}),
    action: "allow",
    direction: "in",
    ...extra,
  };
}

// A hand-made two-chain parse: INPUT (on the path, drop policy) and FORWARD (off the path).
const PARSED: ParseOutput = {
  format: "iptables",
  entries: [
    e(4, "0.0.0.0/0", { context: 0, unmet: "only ESTABLISHED,RELATED connections" }),
    e(5, "52.1.37.96", { context: 0, protocol: "tcp", ports: [{ from: 443, to: 443 }] }),
    e(6, "52.1.32.88", { context: 1 }),
  ],
  findings: [],
  lineCount: 8,
  notes: [],
  path: {
    kind: "input",
    assumption: "Read as connections to this host (INPUT); FORWARD is not on the path. Override with --path forward.",
    contexts: [
      {
        name: "filter INPUT",
        line: 2,
        text: ":INPUT DROP [0:0]",
        fallthrough: "deny",
        onPath: true,
        reason: "The service is this host.",
      },
      {
        name: "filter FORWARD",
        line: 3,
        text: ":FORWARD ACCEPT [0:0]",
        fallthrough: "allow",
        onPath: false,
        reason: "Forwarded traffic does not reach this host.",
      },
    ],
  },
};

const PATH_JSON = {
  kind: "input",
  assumption: "Read as connections to this host (INPUT); FORWARD is not on the path. Override with --path forward.",
  contexts: [
    { name: "filter INPUT", line: 2, onPath: true, reason: "The service is this host.", fallthrough: "deny" },
    {
      name: "filter FORWARD",
      line: 3,
      onPath: false,
      reason: "Forwarded traffic does not reach this host.",
      fallthrough: "allow",
    },
  ],
};

describe("diff report: the path", () => {
  const result = diff(SEED_CATALOG, PARSED, { regions: ["US"] });

  test("the path (assumption and contexts) comes right after the catalog version; inactive rows keep their status", () => {
    const r = diffReport(result, 3);
    assert.deepEqual(Object.keys(r).slice(0, 5), ["regions", "format", "catalogVersion", "path", "summary"]);
    assert.deepEqual(r.path, PATH_JSON);
    assert.deepEqual(
      r.entries.map((v) => [v.line, v.status, v.message]),
      [
        [4, "inactive", "Never met by a new inbound connection: only ESTABLISHED,RELATED connections."],
        [5, "covers", "Allows 52.1.37.96/32 (US) exactly."],
        [6, "inactive", "filter FORWARD is not on the path: Forwarded traffic does not reach this host."],
      ],
    );
  });

  test("the streamed report is byte for byte the one-string report, path included", async () => {
    let streamed = "";
    await emitDiffReportJson(rowsOfResult(result), 3, (chunk) => {
      streamed += chunk;
    });
    assert.equal(streamed, diffReportJson(result, 3));
    assert.deepEqual(JSON.parse(streamed).path, PATH_JSON);
  });

  test("a parse without a path has no path key (plain lists are unchanged)", () => {
    const plain: ParseOutput = {
      format: "plain",
      entries: [e(1, "52.1.37.96")],
      findings: [],
      lineCount: 1,
      notes: [],
    };
    assert.equal("path" in diffReport(diff(SEED_CATALOG, plain, { regions: ["US"] }), 1), false);
  });

  test("a context crossed by one address family only says so", () => {
    const only6 = { ...PARSED.path!, contexts: [{ ...PARSED.path!.contexts[0]!, family: 6 as const }] };
    assert.deepEqual(pathReport(only6).contexts, [{ ...PATH_JSON.contexts[0]!, family: 6 }]);
  });

  test("inactive rows need attention (the human report lists them)", () => {
    const rows = rowsOfResult(result);
    assert.deepEqual(
      [0, 1, 2].map((i) => rows.needsAttention(i)),
      [true, false, true],
    );
  });
});

describe("trace report", () => {
  test("verdict, path and each context with the rules met, exactly", () => {
    const t = trace(PARSED, mustParseAddress("52.1.37.96"), { catalog: SEED_CATALOG });
    assert.deepEqual(traceReport(t, PARSED.format, PARSED.path), {
      address: "52.1.37.96",
      protocol: "tcp",
      port: 443,
      format: "iptables",
      allowed: true,
      summary: "52.1.37.96 → TCP 443: allowed by line 5.",
      path: PATH_JSON,
      contexts: [
        {
          name: "filter INPUT",
          line: 2,
          onPath: true,
          reason: "The service is this host.",
          fallthrough: "deny",
          passes: true,
          decision: { by: "rule", line: 5, action: "allow" },
          steps: [
            {
              line: 4,
              text: "rule 4",
              action: "allow",
              matched: false,
              decided: false,
              why: "only ESTABLISHED,RELATED connections",
            },
            {
              line: 5,
              text: "rule 5",
              action: "allow",
              matched: true,
              decided: true,
              why: "address, TCP and port 443 match",
            },
          ],
          omitted: 0,
        },
        {
          name: "filter FORWARD",
          line: 3,
          onPath: false,
          reason: "Forwarded traffic does not reach this host.",
          fallthrough: "allow",
          passes: null,
          decision: null,
          steps: [],
          omitted: 0,
        },
      ],
    });
  });
});
