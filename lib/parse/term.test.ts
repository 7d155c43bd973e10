// Plain lists and the vendor parsers read address terms the same way: a token is invalid, ambiguous or a hostname
// in all of them or in none (they used to disagree: "10.1" was ambiguous in plain lists, invalid in vendor configs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTerm } from "./plain";
import { readAddressTerm } from "./vendors/common";

const kindOfPlain = (t: string) => {
  const r = parseTerm(t);
  return r.ok ? "ok" : r.kind;
};
const kindOfVendor = (t: string) => {
  const r = readAddressTerm(t);
  return r.ok ? "ok" : r.kind;
};

test("the same finding kind for the same token, in plain lists and vendor configs", () => {
  const tokens = {
    "10.1": "ambiguous",
    "10.1.2": "ambiguous",
    "010.1.2.3": "ambiguous",
    "0x0a.1.1.1": "ambiguous",
    "10.0/16": "ambiguous",
    "1.2.3.4-1.2.3.04": "ambiguous",
    "1.2.3.256": "invalid",
    "1.2.3.4/33": "invalid",
    "1.2.3.9-1.2.3.4": "invalid",
    "2001:db8::g": "invalid",
    "hooks.example.com": "hostname",
    "my_host.example.com": "hostname",
    "1.2.3.4": "ok",
    "2001:db8::/32": "ok",
    "1.2.3.4-1.2.3.9": "ok",
  } as const;
  const plain = Object.fromEntries(Object.keys(tokens).map((t) => [t, kindOfPlain(t)]));
  const vendor = Object.fromEntries(Object.keys(tokens).map((t) => [t, kindOfVendor(t)]));
  assert.deepEqual(plain, tokens);
  assert.deepEqual(vendor, tokens);
});
