import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { firewallSchemas } from "./schema";
import { refusedCharacter, safeText } from "./safe-text";

const create = firewallSchemas(["US", "EU"]).create;
const issueOf = (name: string) => {
  const r = create.safeParse({ name, text: "", regions: "us" });
  return r.success ? null : r.error.issues.map((i) => [i.path.join("."), i.message]);
};

describe("names: refused characters and NFC", () => {
  // Regression: names accepted NUL, zero-width and bidi-override characters and lone surrogates.
  test("each refused kind, with its position and code point", () => {
    assert.deepEqual(issueOf("edge\u0000fw"), [
      ["name", "The name contains a NUL character (U+0000) at character 5: type it again without it."],
    ]);
    assert.deepEqual(issueOf("ed\u200bge"), [
      [
        "name",
        "The name contains an invisible zero-width character (U+200B) at character 3: type it again without it.",
      ],
    ]);
    assert.deepEqual(issueOf("fw-\u202Eevil"), [
      ["name", "The name contains a text-direction control (U+202E) at character 4: type it again without it."],
    ]);
    assert.deepEqual(issueOf("fw\uD800x"), [
      [
        "name",
        "The name contains half of a character (a lone surrogate) (U+D800) at character 3: type it again without it.",
      ],
    ]);
    assert.deepEqual(issueOf("a\u0085b"), [
      ["name", "The name contains a control character (U+0085) at character 2: type it again without it."],
    ]);
    assert.deepEqual(issueOf("soft\u00adhyphen"), [
      [
        "name",
        "The name contains an invisible formatting character (U+00AD) at character 5: type it again without it.",
      ],
    ]);
    assert.deepEqual(issueOf("line\u2028break"), [
      [
        "name",
        "The name contains an invisible formatting character (U+2028) at character 5: type it again without it.",
      ],
    ]);
    assert.deepEqual(issueOf("two\nlines"), [
      ["name", "The name contains a control character (U+000A) at character 4: type it again without it."],
    ]);
  });

  test("accepted names come out trimmed and NFC; emoji and other scripts are fine; descriptions keep line breaks", () => {
    const ok = create.parse({
      name: "  Cafe\u0301 ✓ 防火墙 🔥 ",
      description: "line one\nline two\ttab",
      text: "",
      regions: "us",
    });
    assert.deepEqual([ok.name, ok.description], ["Café ✓ 防火墙 🔥", "line one\nline two\ttab"]);
    assert.equal(ok.name, "Caf\u00e9 ✓ 防火墙 🔥");
    assert.deepEqual(
      create
        .safeParse({ name: "x", description: "a\u202eb", text: "", regions: "us" })
        .error?.issues.map((i) => i.message),
      ["The description contains a text-direction control (U+202E) at character 2: type it again without it."],
    );
  });

  test("property: whatever is accepted is NFC, well-formed and free of control and format characters", () => {
    const schema = safeText("name");
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), (s) => {
        const r = schema.safeParse(s);
        if (!r.success) return;
        assert.equal(r.data, r.data.normalize("NFC"));
        assert.equal(/\p{Cs}/u.test(r.data), false, "no lone surrogate");
        assert.equal(refusedCharacter(r.data, false), null);
      }),
      { numRuns: 2000, seed: 10 },
    );
  });
});
