import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { compare } from "./compute";
import { EXAMPLE_IPTABLES } from "./example";
import type { CompareRequest } from "./protocol";
import { traceAddressOf, traceRequest } from "./trace";

const LIST = "# hooks\n52.1.37.96\n52.1.32.0/24\n";
const request = (text: string, extra: Partial<CompareRequest> = {}): CompareRequest => ({
  text,
  format: "auto",
  regions: ["US"],
  port: 443,
  catalog: SEED_CATALOG,
  ...extra,
});

describe("traces on the compare screen", () => {
  test("an address of the paste: the rule that decides, on the request's port", () => {
    const r = traceRequest(request(LIST), " 52.1.32.88 ");
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.equal(r.outcome.format, "plain");
    assert.equal(r.outcome.path, undefined);
    assert.equal(r.outcome.trace.summary, "52.1.32.88 → TCP 443: allowed by line 3.");
    const other = traceRequest(request(LIST, { port: 8443 }), "3.74.148.8");
    assert.equal(
      other.ok && other.outcome.trace.summary,
      "3.74.148.8 → TCP 8443: blocked — no rule of the list matches, and its default is deny.",
    );
  });

  test("what is not one address is refused with lib/ip's reason, never thrown", () => {
    assert.deepEqual(traceRequest(request(LIST), "52.1.37.0/24"), {
      ok: false,
      message: '"52.1.37.0/24" is not an address: unexpected character "/" (column 10).',
    });
    assert.deepEqual(traceRequest(request(LIST), "  "), { ok: false, message: "Give one IPv4 or IPv6 address." });
  });

  test("a trace right after a compare run of the same request answers from the same parse", () => {
    const req = request("52.1.37.96\n");
    compare(req);
    const t = traceRequest(req, "52.1.37.96");
    assert.deepEqual(t.ok && t.outcome.trace.contexts[0]!.steps.map((s) => [s.line, s.matched, s.decided]), [
      [1, true, true],
    ]);
  });

  test("the path overrides reach the parser, for the compare run and for its traces", () => {
    const host = compare(request(EXAMPLE_IPTABLES));
    const forward = compare(request(EXAMPLE_IPTABLES, { path: "forward" }));
    assert.deepEqual([host.result.path?.kind, host.result.summary.missing], ["input", 4]);
    assert.deepEqual([forward.result.path?.kind, forward.result.summary.missing], ["forward", 14]);
    const t = traceRequest(request(EXAMPLE_IPTABLES, { path: "forward", ingress: "eth1" }), "52.1.37.96");
    assert.equal(
      t.ok && t.outcome.trace.summary,
      "52.1.37.96 → TCP 443: blocked — no rule of filter FORWARD (line 4) matches, and its default is deny.",
    );
    assert.equal(t.ok && t.outcome.path?.ingress, "eth1");
  });

  test("a published CIDR is traced from its first address", () => {
    assert.deepEqual(["52.1.37.96/32", "44.206.73.232/29", "2001:db8::/64", "nope"].map(traceAddressOf), [
      "52.1.37.96",
      "44.206.73.232",
      "2001:db8::",
      undefined,
    ]);
  });
});
