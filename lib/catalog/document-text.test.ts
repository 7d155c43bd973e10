import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { catalogHtml, catalogText, SEED_REGIONS, SEED_TEXT } from "./document.fixture";
import { documentText, htmlToText, looksLikeHtml } from "./document-text";
import { parseSeedDocument } from "./seed-document";

describe("documentText", () => {
  test("a saved HTML page reads as the same catalog as the page's text", () => {
    const fromHtml = parseSeedDocument(documentText(catalogHtml(SEED_REGIONS)));
    const fromSeed = parseSeedDocument(SEED_TEXT);
    assert.ok(fromHtml.ok && fromSeed.ok);
    assert.deepEqual(fromHtml.value, fromSeed.value);
    const fromText = parseSeedDocument(documentText(catalogText(SEED_REGIONS), "text/plain"));
    assert.ok(fromText.ok);
    assert.deepEqual(fromText.value, fromSeed.value);
  });

  test("tags, scripts, styles, comments and the head are dropped; blocks become lines; entities decoded", () => {
    assert.equal(
      htmlToText(
        "<head><title>T</title></head><body><p>a &amp; b&nbsp;</p><script>x<y</script><!-- c --><div>1&#46;2&#x2e;3</div><span>in</span>line<br/>x &bogus; &#0;</body>",
      ),
      "\na & b\n\n1.2.3\ninline\nx &bogus; &#0;",
    );
  });

  test("sniffing: HTML by its start or its closing tags; the content type wins when given", () => {
    assert.equal(looksLikeHtml("<!DOCTYPE html><p>x"), true);
    assert.equal(looksLikeHtml("Region\nNAT IPs\n<td>US</td>"), true);
    assert.equal(looksLikeHtml(SEED_TEXT), false);
    assert.equal(documentText("<p>US</p>", "text/plain"), "<p>US</p>");
    assert.equal(documentText("US", "text/html"), "US");
    assert.equal(documentText("<p>US</p>", "text/html; charset=utf-8"), "\nUS\n");
  });

  test("never throws on hostile input", () => {
    for (const input of ["<", "<<<>>>", "<script>", "<!--", "&#99999999;", "<td".repeat(10000), "&#xD800;"]) {
      assert.equal(typeof documentText(input), "string");
    }
    assert.equal(htmlToText("&#xD800;"), "&#xD800;");
  });

  test("hostile pages: 1 MB of unclosed tags, spaces or hidden elements are read (their time: npm run bench:linear)", () => {
    // A regular expression like /<[^>]*>/g took 287 s on the first of these.
    for (const input of [
      "<a x".repeat(250_000),
      "< ".repeat(500_000),
      "<script ".repeat(120_000),
      "<head>".repeat(160_000),
      " ".repeat(1_000_000),
    ]) {
      assert.equal(typeof htmlToText(input), "string");
    }
    assert.equal(htmlToText("a < b and c<d> e"), "a < b and c e");
    assert.equal(htmlToText("<p>x</p><script>never"), "\nx\n");
  });
});
