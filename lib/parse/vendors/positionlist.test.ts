import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PositionList } from "./positionlist";

const RUNS = { numRuns: 500, seed: 20261202 };

type Op =
  | { readonly t: "push" }
  | { readonly t: "insert"; readonly at: number }
  | { readonly t: "removeAt"; readonly at: number }
  | { readonly t: "remove"; readonly k: number }
  | { readonly t: "replace"; readonly k: number }
  | { readonly t: "retain"; readonly mod: number }
  | { readonly t: "clear" };

const place = fc.integer({ min: -1, max: 12 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ t: "push" as const }), weight: 12 },
  { arbitrary: place.map((at) => ({ t: "insert" as const, at })), weight: 16 },
  { arbitrary: place.map((at) => ({ t: "removeAt" as const, at })), weight: 8 },
  { arbitrary: fc.integer({ min: 0, max: 40 }).map((k) => ({ t: "remove" as const, k })), weight: 8 },
  { arbitrary: fc.integer({ min: 0, max: 40 }).map((k) => ({ t: "replace" as const, k })), weight: 6 },
  { arbitrary: fc.integer({ min: 2, max: 4 }).map((mod) => ({ t: "retain" as const, mod })), weight: 2 },
  { arbitrary: fc.constant({ t: "clear" as const }), weight: 1 },
);

test("PositionList does what splice and indexOf on an array do, edit for edit, across chunk splits", () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 20, maxLength: 200 }), (ops) => {
      // Chunks of 2 (split past 4): every edit meets a chunk boundary, a split or an emptied chunk.
      const list = new PositionList<{ k: number }>(2);
      const items: { k: number }[] = [];
      const model: { k: number }[] = [];
      const got: (number | boolean | undefined)[] = [];
      const want: (number | boolean | undefined)[] = [];
      for (const o of ops) {
        if (o.t === "push" || o.t === "insert") {
          const item = { k: items.length };
          items.push(item);
          if (o.t === "push") {
            list.push(item);
            model.push(item);
          } else {
            list.insert(o.at, item);
            model.splice(Math.max(0, Math.min(o.at, model.length)), 0, item);
          }
        } else if (o.t === "removeAt") {
          got.push(list.removeAt(o.at)?.k);
          want.push(o.at >= 0 && o.at < model.length ? model.splice(o.at, 1)[0]!.k : undefined);
        } else if (o.t === "remove") {
          const item = items[o.k];
          const at = item === undefined ? -1 : model.indexOf(item);
          got.push(item !== undefined && list.remove(item));
          want.push(at >= 0);
          if (at >= 0) model.splice(at, 1);
        } else if (o.t === "replace") {
          // A new item in the place of item k (if it is held).
          const old = items[o.k];
          const at = old === undefined ? -1 : model.indexOf(old);
          const item = { k: items.length };
          items.push(item);
          got.push(old !== undefined && list.replace(old, item));
          want.push(at >= 0);
          if (at >= 0) model[at] = item;
        } else if (o.t === "retain") {
          list.retain((x) => x.k % o.mod !== 0);
          model.splice(0, model.length, ...model.filter((x) => x.k % o.mod !== 0));
        } else {
          list.clear();
          model.length = 0;
        }
        assert.equal(list.length, model.length);
      }
      assert.deepEqual(got, want);
      assert.deepEqual(
        [...list].map((x) => x.k),
        model.map((x) => x.k),
      );
      assert.deepEqual(
        list.toArray().map((x) => x.k),
        model.map((x) => x.k),
      );
      for (const item of items) {
        assert.equal(list.has(item), model.includes(item));
        assert.equal(list.indexOf(item), model.indexOf(item));
      }
      for (let at = -1; at <= model.length; at++) assert.equal(list.at(at), model[at]);
    }),
    RUNS,
  );
});
