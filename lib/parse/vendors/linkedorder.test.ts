import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LinkedOrder } from "./linkedorder";

const RUNS = { numRuns: 500, seed: 20261202 };

type Op =
  | { readonly t: "append"; readonly k: number }
  | { readonly t: "remove"; readonly k: number }
  | { readonly t: "place"; readonly k: number; readonly where: "before" | "after"; readonly ref: number };

const key = fc.integer({ min: 0, max: 7 });
const op: fc.Arbitrary<Op> = fc.oneof(
  key.map((k) => ({ t: "append" as const, k })),
  key.map((k) => ({ t: "remove" as const, k })),
  fc
    .tuple(key, fc.constantFrom<"before" | "after">("before", "after"), key)
    .map(([k, where, ref]) => ({ t: "place" as const, k, where, ref })),
);

/** The same edits on an array, with indexOf and splice: the obvious model. */
function model(ops: readonly Op[]): { order: number[]; results: boolean[] } {
  const order: number[] = [];
  const results: boolean[] = [];
  for (const o of ops) {
    if (o.t === "append") {
      if (order.includes(o.k)) order.splice(order.indexOf(o.k), 1);
      order.push(o.k);
    } else if (o.t === "remove") {
      const at = order.indexOf(o.k);
      if (at >= 0) order.splice(at, 1);
      results.push(at >= 0);
    } else {
      if (!order.includes(o.ref)) {
        results.push(false);
        continue;
      }
      results.push(true);
      if (o.k === o.ref) continue;
      if (order.includes(o.k)) order.splice(order.indexOf(o.k), 1);
      order.splice(order.indexOf(o.ref) + (o.where === "after" ? 1 : 0), 0, o.k);
    }
  }
  return { order, results };
}

test("LinkedOrder does what indexOf and splice on an array do, edit for edit", () => {
  fc.assert(
    fc.property(fc.array(key, { maxLength: 6 }), fc.array(op, { maxLength: 30 }), (start, ops) => {
      const distinct = [...new Set(start)];
      const linked = LinkedOrder.of(distinct);
      const results: boolean[] = [];
      for (const o of ops) {
        if (o.t === "append") linked.append(o.k);
        else if (o.t === "remove") results.push(linked.remove(o.k));
        else results.push(linked.place(o.k, o.where, o.ref));
      }
      const expected = model([...distinct.map((k) => ({ t: "append" as const, k })), ...ops]);
      assert.deepEqual([...linked], expected.order);
      assert.deepEqual(results, expected.results);
      assert.equal(linked.size, expected.order.length);
      assert.equal(linked.first, expected.order[0]);
      for (let k = 0; k <= 7; k++) assert.equal(linked.has(k), expected.order.includes(k));
    }),
    RUNS,
  );
});
