import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { KeyedRemovals } from "./keyedremovals";

const RUNS = { numRuns: 500, seed: 20261202 };

interface Item {
  readonly id: number;
  readonly key: string;
}

type Op =
  | { readonly t: "add"; readonly key: string; readonly at: number }
  | { readonly t: "take"; readonly key: string }
  | { readonly t: "sweep" };

// Few keys, so that like-keyed entries and their order matter; `at` past the end appends, 0 prepends.
const key = fc.constantFrom("a", "b", "c");
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(key, fc.integer({ min: 0, max: 12 })).map(([k, at]) => ({ t: "add" as const, key: k, at })),
  key.map((k) => ({ t: "take" as const, key: k })),
  fc.constant({ t: "sweep" as const }),
);

test("KeyedRemovals deletes what findIndex and splice on the list would, across inserts anywhere", () => {
  fc.assert(
    fc.property(fc.array(key, { maxLength: 6 }), fc.array(op, { maxLength: 40 }), (start, ops) => {
      let id = 0;
      const list: Item[] = start.map((k) => ({ id: id++, key: k }));
      const model = [...list];
      const removals = new KeyedRemovals(list, (i) => i.key);
      const taken: (number | undefined)[] = [];
      const expected: (number | undefined)[] = [];
      for (const o of ops) {
        if (o.t === "add") {
          const item = { id: id++, key: o.key };
          // Positions count live entries: the owner sweeps before an insert by position.
          removals.sweep(list);
          if (o.at >= list.length) {
            list.push(item);
            removals.appended(item);
          } else {
            list.splice(o.at, 0, item);
            if (o.at === 0) removals.prepended(item);
            else removals.inserted(item);
          }
          model.splice(Math.min(o.at, model.length), 0, item);
        } else if (o.t === "take") {
          taken.push(removals.take(o.key, () => list)?.id);
          const at = model.findIndex((i) => i.key === o.key);
          expected.push(at < 0 ? undefined : model.splice(at, 1)[0]!.id);
        } else removals.sweep(list);
      }
      assert.deepEqual(taken, expected);
      assert.equal(list.length - removals.marked, model.length);
      removals.sweep(list);
      assert.deepEqual(
        list.map((i) => i.id),
        model.map((i) => i.id),
      );
    }),
    RUNS,
  );
});
