import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type Item, Rulebase } from "./checkpoint-order";

const RUNS = { numRuns: 300, seed: 20261202 };

type Rule = { readonly layer: string; readonly k: number };
type Op =
  | { readonly t: "insert"; readonly at: number; readonly layer: string | null }
  | { readonly t: "remove"; readonly k: number }
  | { readonly t: "query"; readonly n: number; readonly layer: string | undefined; readonly at: number };

const LAYERS = ["", "Network", "network", "Other"];
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant("insert" as const),
      at: fc.integer({ min: 0, max: 14 }),
      layer: fc.constantFrom<string | null>(null, ...LAYERS),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ t: fc.constant("remove" as const), k: fc.integer({ min: 0, max: 60 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      t: fc.constant("query" as const),
      n: fc.integer({ min: 0, max: 12 }),
      layer: fc.constantFrom<string | undefined>(undefined, ...LAYERS),
      at: fc.integer({ min: -1, max: 14 }),
    }),
    weight: 3,
  },
);

const sameLayer = (a: string, b: string) => a === "" || b === "" || a.toLowerCase() === b.toLowerCase();

test("Rulebase places, finds and counts as indexOf, splice and a counting pass over an array do", () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 10, maxLength: 150 }), (ops) => {
      // Chunks of 2 (split past 4): edits and counts cross chunk boundaries, splits and emptied chunks.
      const order = new Rulebase<Rule>(2);
      const model: Item<Rule>[] = [];
      const made: Item<Rule>[] = [];
      for (const o of ops) {
        if (o.t === "insert") {
          const item: Item<Rule> =
            o.layer === null ? { section: `s${made.length}` } : { rule: { layer: o.layer, k: made.length } };
          made.push(item);
          order.insert(o.at, item);
          model.splice(Math.min(o.at, model.length), 0, item);
        } else if (o.t === "remove") {
          const item = made[o.k];
          const at = item === undefined ? -1 : model.indexOf(item);
          assert.equal(item !== undefined && order.remove(item), at >= 0);
          if (at >= 0) model.splice(at, 1);
        } else {
          const inLayer = (it: Item<Rule>) =>
            "rule" in it && (o.layer === undefined || sameLayer(it.rule.layer, o.layer));
          let seen = 0;
          assert.equal(
            order.nthRule(o.n, o.layer, inLayer),
            o.n > 0 ? model.findIndex((it) => inLayer(it) && ++seen === o.n) : -1,
          );
          // The end of the section an item opens (asked for items held only).
          if (o.at >= 0 && o.at < model.length) {
            let j = o.at + 1;
            while (j < model.length && "rule" in model[j]!) j++;
            assert.equal(order.sectionAfter(o.at), j);
          }
          assert.equal(order.at(o.at), model[o.at]);
        }
        assert.equal(order.length, model.length);
      }
      assert.deepEqual([...order], model);
      for (const item of made) assert.equal(order.indexOf(item), model.indexOf(item));
    }),
    RUNS,
  );
});
