import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { utf8Length } from "../parse/registry";
import { fieldErrors, firewallIdSchema, firewallSchemas, isTextTooLarge, resolveFormat } from "./schema";

const schemas = firewallSchemas(["US", "EU", "IN", "AU"]);

function errors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return result.success ? {} : fieldErrors(result.error?.issues ?? []);
}

describe("create schema", () => {
  test("trims, defaults, upper-cases regions into catalog order, coerces a form's port", () => {
    const r = schemas.create.safeParse({ name: "  edge-1 ", text: "1.2.3.4\n", regions: "eu, us", port: "8443" });
    assert.deepEqual(r, {
      success: true,
      data: {
        name: "edge-1",
        description: "",
        text: "1.2.3.4\n",
        format: "auto",
        regions: ["US", "EU"],
        port: 8443,
        note: "",
      },
    });
  });

  test("regions as a JSON array or 'all'", () => {
    assert.deepEqual(schemas.create.parse({ name: "a", text: "", regions: ["au", "in"] }).regions, ["IN", "AU"]);
    assert.deepEqual(schemas.create.parse({ name: "a", text: "", regions: "all" }).regions, ["US", "EU", "IN", "AU"]);
  });

  test("every limit has its own message", () => {
    const r = schemas.create.safeParse({
      name: "x".repeat(81),
      description: "d".repeat(501),
      text: "",
      format: "word",
      regions: "us,mars",
      port: 70000,
      note: "n".repeat(201),
    });
    assert.deepEqual(errors(r), {
      name: "The name is at most 80 characters.",
      description: "The description is at most 500 characters.",
      format: "Unknown format: use auto or one of the listed formats.",
      regions: "Unknown region MARS (known: US, EU, IN, AU).",
      port: "Port must be from 1 to 65535.",
      note: "The note is at most 200 characters.",
    });
  });

  test("empty name, no region, port 0 or text, text over 20 MB", () => {
    assert.deepEqual(errors(schemas.create.safeParse({ name: "   ", text: "x", regions: "", port: "0" })), {
      name: "Give the firewall a name.",
      regions: "Choose at least one region.",
      port: "Port must be from 1 to 65535.",
    });
    assert.deepEqual(
      errors(
        schemas.create.safeParse({ name: "a", text: "1".repeat(20 * 1024 * 1024 + 1), regions: "us", port: "44x" }),
      ),
      {
        text: "The text is over the 20 MB limit.",
        port: "Port must be a whole number from 1 to 65535.",
      },
    );
  });
});

describe("revision and restore schemas", () => {
  test("baseRevision is required and numeric; name is optional", () => {
    assert.deepEqual(
      schemas.revision.parse({ baseRevision: "3", text: "a", regions: "us", port: 443, note: " tidy " }),
      {
        baseRevision: 3,
        text: "a",
        format: "auto",
        regions: ["US"],
        port: 443,
        note: "tidy",
      },
    );
    assert.deepEqual(errors(schemas.revision.safeParse({ text: "a", regions: "us" })), {
      baseRevision: "baseRevision must be a revision number.",
    });
    assert.deepEqual(schemas.restore.parse({ baseRevision: 4, number: "2" }), { baseRevision: 4, number: 2 });
    assert.equal(schemas.restore.safeParse({ baseRevision: 4, number: 0 }).success, false);
  });

  test("diff overrides leave absent fields undefined", () => {
    assert.deepEqual(schemas.diffOverrides.parse({}), {});
    assert.deepEqual(schemas.diffOverrides.parse({ regions: "eu", port: "80" }), { regions: ["EU"], port: 80 });
  });
});

describe("helpers", () => {
  test("ids: positive integers only", () => {
    assert.deepEqual(
      ["1", "42", "0", "-1", "1e3", "abc", "99999999999", "01"].map((s) => firewallIdSchema.safeParse(s).success),
      [true, true, false, false, false, false, false, false],
    );
  });

  test("UTF-8 length and the 20 MB limit", () => {
    assert.deepEqual([utf8Length("a"), utf8Length("é"), utf8Length("€"), utf8Length("😀")], [1, 2, 3, 4]);
    assert.equal(isTextTooLarge("é".repeat(10 * 1024 * 1024)), false);
    assert.equal(isTextTooLarge(`${"é".repeat(10 * 1024 * 1024)}a`), true);
  });

  test("auto is resolved to the detected format when saving", () => {
    assert.equal(resolveFormat("1.2.3.4\n", "auto"), "plain");
    assert.equal(resolveFormat("1.2.3.4\n", "csv"), "csv");
  });
});
