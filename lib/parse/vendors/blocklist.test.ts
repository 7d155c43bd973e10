import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { BlockList } from "./blocklist";

const RUNS = { numRuns: 500, seed: 20261202 };

type Op =
  | { readonly t: "push" }
  | { readonly t: "insert"; readonly at: number }
  | { readonly t: "remove"; readonly at: number }
  | { readonly t: "retain"; readonly mod: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ t: "push" as const }),
  fc.integer({ min: -1, max: 30 }).map((at) => ({ t: "insert" as const, at })),
  fc.integer({ min: -1, max: 30 }).map((at) => ({ t: "remove" as const, at })),
  fc.integer({ min: 2, max: 4 }).map((mod) => ({ t: "retain" as const, mod })),
);

test("BlockList does what push, splice and filter on an array do, with blocks of 2 to 4 items", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10 }), fc.array(op, { maxLength: 60 }), (start, ops) => {
      let id = 0;
      const model = Array.from({ length: start }, () => id++);
      const list = new BlockList(model, 2);
      const removed: (number | undefined)[] = [];
      const expected: (number | undefined)[] = [];
      for (const o of ops) {
        if (o.t === "push") {
          list.push(id);
          model.push(id++);
        } else if (o.t === "insert") {
          list.insert(o.at, id);
          model.splice(Math.max(0, Math.min(o.at, model.length)), 0, id++);
        } else if (o.t === "remove") {
          removed.push(list.removeAt(o.at));
          expected.push(o.at >= 0 && o.at < model.length ? model.splice(o.at, 1)[0] : undefined);
        } else {
          list.retain((x) => x % o.mod !== 0);
          model.splice(0, model.length, ...model.filter((x) => x % o.mod !== 0));
        }
        assert.equal(list.length, model.length);
      }
      assert.deepEqual(removed, expected);
      assert.deepEqual(list.toArray(), model);
      assert.deepEqual([...list], model);
    }),
    RUNS,
  );
});
