/**
 * The tags of a small, flat XML file (firewalld zone and ipset files), each with its 1-based line, for readers that
 * must point at the line of every element. Not a general XML parser: no DTDs, entities beyond the five predefined
 * ones, or namespaces; comments, processing instructions and CDATA are skipped. Linear, never throws.
 */
export interface XmlTag {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** `</name>` */
  readonly close: boolean;
  /** `<name …/>` */
  readonly selfClose: boolean;
  readonly line: number;
  /** Offsets of the tag in the text: [start, end). */
  readonly start: number;
  readonly end: number;
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === "lt") return "<";
    if (k === "gt") return ">";
    if (k === "amp") return "&";
    if (k === "quot") return '"';
    if (k === "apos") return "'";
    const code = k.startsWith("#x") ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

export function xmlTags(text: string): XmlTag[] {
  const out: XmlTag[] = [];
  let line = 1;
  let counted = 0;
  const lineAt = (pos: number): number => {
    for (let i = text.indexOf("\n", counted); i !== -1 && i < pos; i = text.indexOf("\n", i + 1)) line++;
    counted = Math.max(counted, pos);
    return line;
  };
  let i = text.indexOf("<");
  while (i !== -1) {
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      i = end === -1 ? -1 : text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9);
      i = end === -1 ? -1 : text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<?", i) || text.startsWith("<!", i)) {
      const end = text.indexOf(">", i + 2);
      i = end === -1 ? -1 : text.indexOf("<", end + 1);
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(text);
    if (!m) {
      i = text.indexOf("<", i + 1);
      continue;
    }
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const a of m[3]!.matchAll(ATTR)) attrs[a[1]!] = decodeXml(a[2] ?? a[3] ?? "");
    out.push({
      name: m[2]!,
      attrs,
      close: m[1] === "/",
      selfClose: m[4] === "/",
      line: lineAt(i),
      start: i,
      end: i + m[0].length,
    });
    i = text.indexOf("<", i + m[0].length);
  }
  return out;
}
