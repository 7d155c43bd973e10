import { test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "./address";
import { aggregate } from "./aggregate";
import { formatPrefix, mustParsePrefix } from "./prefix";

const agg = (...texts: string[]) =>
  aggregate(texts.map((t) => (t.includes("/") ? mustParsePrefix(t) : mustParseAddress(t)))).map(formatPrefix);

test("8 consecutive /32s become one /29", () => {
  const ips = [232, 233, 234, 235, 236, 237, 238, 239].map((n) => `44.206.73.${n}`);
  assert.deepEqual(agg(...ips), ["44.206.73.232/29"]);
});

test("unaligned runs split into the fewest prefixes", () => {
  assert.deepEqual(agg("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"), ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"]);
});

test("overlaps, duplicates, host bits and mixed families", () => {
  assert.deepEqual(agg("10.0.0.0/24", "10.0.0.77/25", "10.0.0.5", "10.0.1.0/24", "::1", "::/127", "::1"), [
    "10.0.0.0/23",
    "::/127",
  ]);
  assert.deepEqual(agg("0.0.0.0/0", "1.2.3.4", "::/0"), ["0.0.0.0/0", "::/0"]);
  assert.deepEqual(agg(), []);
});

test("ranges are accepted as items", () => {
  const r = { first: mustParseAddress("192.168.0.1"), last: mustParseAddress("192.168.0.6") };
  assert.deepEqual(aggregate([r]).map(formatPrefix), [
    "192.168.0.1/32",
    "192.168.0.2/31",
    "192.168.0.4/31",
    "192.168.0.6/32",
  ]);
});
