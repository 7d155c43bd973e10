/**
 * The host-firewall readers (issue 17) stay linear: parsing 4× the lines takes well under 16× the time (what a
 * quadratic reader would need). Medians of three runs of each size, after a warm-up.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostParsers } from "./hosts";
import { sampleGenerators } from "./samples";

function median(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

for (const p of hostParsers) {
  test(`${p.id}: 4× the input, at most 10× the time (a quadratic reader needs 16×)`, () => {
    const generate = sampleGenerators[p.id];
    assert.ok(generate, `no sample generator for ${p.id}`);
    const small = generate(4_000, 5);
    const large = generate(16_000, 5);
    p.parse(small);
    const ts = median(() => p.parse(small));
    const tl = median(() => p.parse(large));
    assert.ok(tl < 10 * Math.max(ts, 25), `${p.id}: ${ts.toFixed(0)} ms for 4k lines, ${tl.toFixed(0)} ms for 16k`);
  });
}
