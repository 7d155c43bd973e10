/**
 * A catalog document as the seed parser reads it: plain text, one item a line. A page saved from a browser (HTML)
 * becomes text the way the browser's "copy" would: block elements, table cells and <br> end a line; scripts,
 * styles and comments are dropped; character references are decoded. Pure and never throws.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
};

const BLOCK =
  /^(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul)$/i;

function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** True when the text is an HTML document rather than the page's text. */
export function looksLikeHtml(text: string): boolean {
  return (
    /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>])/i.test(text.slice(0, 2048)) ||
    /<\/(?:td|tr|p|div|table)>/i.test(text.slice(0, 200_000))
  );
}

const HIDDEN = new Set(["script", "style", "noscript", "template", "svg", "head"]);
const TAG_NAME = /\/?([a-zA-Z][a-zA-Z0-9]*)/y;

/**
 * Tags out, hidden elements and comments dropped, a newline for each block tag. One pass with indexOf and sticky
 * matches, so the time is linear in the input whatever it holds (regular expressions such as /<[^>]*>/g go
 * quadratic on a page of unclosed "<").
 */
function stripMarkup(html: string): string {
  const out: string[] = [];
  let i = 0;
  let gt = -1; // the first ">" at or after the current "<" (reused while it stays ahead)
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    if (gt <= lt) gt = html.indexOf(">", lt + 1);
    if (gt < 0) {
      out.push(html.slice(lt)); // no tag can close any more: the rest is text
      break;
    }
    TAG_NAME.lastIndex = lt + 1;
    const m = TAG_NAME.exec(html);
    if (m === null) {
      out.push("<"); // "<" that starts no tag is text
      i = lt + 1;
      continue;
    }
    const name = (m[1] ?? "").toLowerCase();
    i = gt + 1;
    if (!m[0].startsWith("/") && HIDDEN.has(name) && html.charAt(gt - 1) !== "/") {
      const close = new RegExp(`</${name}\\s*>`, "gi");
      close.lastIndex = i;
      const found = close.exec(html);
      if (found === null) break; // unclosed: hidden to the end, as a browser would
      i = found.index + found[0].length;
      continue;
    }
    if (BLOCK.test(name)) out.push("\n");
  }
  return out.join("");
}

/** The visible text of an HTML document, one block a line. */
export function htmlToText(html: string): string {
  // Source line breaks are kept as breaks: the parser reads one item a line, and a CIDR never spans two lines.
  return decodeEntities(stripMarkup(html))
    .split("\n")
    .map((line) => line.replace(/[ \t\r\f\u00a0]+/g, " ").trim())
    .join("\n");
}

/** What to hand the seed parser: the text itself, or the text of an HTML page (by content type or by sniffing). */
export function documentText(body: string, contentType?: string): string {
  const html = contentType !== undefined && /^\s*(?:text\/html|application\/xhtml\+xml)\b/i.test(contentType);
  const plain = contentType !== undefined && /^\s*text\/plain\b/i.test(contentType);
  return html || (!plain && looksLikeHtml(body)) ? htmlToText(body) : body;
}
