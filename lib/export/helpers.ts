// Shared pieces for the format modules. APPEND-ONLY: two helpers write exporters at once; add new functions
// with unique names at the end instead of changing existing ones.
import { formatPrefix } from "../ip/prefix";
import type { Family, Prefix } from "../ip/types";
import type { ExportFile, ExportItem, ExportOptions, PortSpec, RenderResult } from "./types";

/** Text as one line: control characters (newlines, tabs …) become spaces, runs of spaces collapse. */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they must not reach a config line
  const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
  return text.replace(controls, " ").replace(/ {2,}/g, " ").trim();
}

/** singleLine, then every character of `forbidden` removed: for comment syntaxes that cannot escape them. */
export function commentText(text: string, forbidden: string): string {
  let out = singleLine(text);
  for (const c of forbidden) out = out.split(c).join("");
  return out.replace(/ {2,}/g, " ").trim();
}

/** "US Freshchat, Freddy Self-service": where one exported prefix comes from. */
export function itemComment(item: ExportItem): string {
  const regions = item.regions.join("+");
  const products = item.products.join(", ");
  return singleLine(products === "" ? regions : `${regions} ${products}`);
}

/** The canonical text of an item's prefix, "3.74.148.8/30". */
export function itemCidr(item: ExportItem): string {
  return formatPrefix(item.prefix);
}

export function itemsOfFamily(items: readonly ExportItem[], family: Family): ExportItem[] {
  return items.filter((i) => i.prefix.address.family === family);
}

/** Families present in the items, IPv4 first. */
export function familiesOf(items: readonly ExportItem[]): Family[] {
  const out: Family[] = [];
  if (items.some((i) => i.prefix.address.family === 4)) out.push(4);
  if (items.some((i) => i.prefix.address.family === 6)) out.push(6);
  return out;
}

/** "443", "8000-8100" with the format's range separator. */
export function portText(p: PortSpec, rangeSeparator = "-"): string {
  return p.from === p.to ? String(p.from) : `${p.from}${rangeSeparator}${p.to}`;
}

export function portsText(ports: readonly PortSpec[], rangeSeparator = "-", listSeparator = ","): string {
  return ports.map((p) => portText(p, rangeSeparator)).join(listSeparator);
}

/** Splits into consecutive chunks of at most `size`. */
export function chunked<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * What every exporter refuses: items of a family the format cannot hold, and items whose family differs from the
 * destination's (an IPv6 source never reaches an IPv4 destination). One message per prefix, all at once.
 */
export function familyErrors(
  id: string,
  items: readonly ExportItem[],
  options: ExportOptions,
  families: readonly Family[],
): string[] {
  const errors: string[] = [];
  const dest = options.destination;
  for (const item of items) {
    const f = item.prefix.address.family;
    if (!families.includes(f)) {
      errors.push(
        `${id}: IPv${f} prefix ${itemCidr(item)} cannot be expressed (this format holds IPv${families.join("/IPv")} only)`,
      );
    } else if (dest !== undefined && dest.address.family !== f) {
      errors.push(
        `${id}: IPv${f} prefix ${itemCidr(item)} cannot reach the IPv${dest.address.family} destination ${formatPrefix(dest)}`,
      );
    }
  }
  return errors;
}

/** Plain sentences describing the export, for header comments (each already single-line). */
export function describeExport(items: readonly ExportItem[], options: ExportOptions): string[] {
  const regions: string[] = [];
  for (const item of items) for (const r of item.regions) if (!regions.includes(r)) regions.push(r);
  const scope = { full: "full allowlist", missing: "entries missing from the compared list", sync: "allowlist (sync)" }[
    options.scope
  ];
  const dest = options.destination === undefined ? "any destination" : formatPrefix(options.destination);
  const count = `${items.length} prefix${items.length === 1 ? "" : "es"}`;
  return [
    singleLine(`${options.provider} ${scope}, ${count}${regions.length > 0 ? ` (${regions.join(", ")})` : ""}`),
    singleLine(`Catalog: ${options.catalogLabel}`),
    `Allows ${options.protocol} ${portsText(options.ports, "-", ", ")} to ${dest}`,
  ];
}

/** Lines joined with "\n" and a final newline (POSIX text file). */
export function textFile(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** POSIX shell single-quoting: safe for any text. */
export function shellQuote(text: string): string {
  return `'${text.split("'").join(`'\\''`)}'`;
}

export function oneFile(name: string, mime: string, content: string, warnings: readonly string[] = []): RenderResult {
  const file: ExportFile = { name, mime, content };
  return { ok: true, files: [file], warnings };
}

export function refused(errors: readonly string[]): RenderResult {
  return { ok: false, errors };
}

/** Port groups for iptables' multiport match (used by iptables and ufw): 15 slots a rule, a range takes two. */
export function multiportGroups(ports: readonly PortSpec[]): PortSpec[][] {
  const groups: PortSpec[][] = [];
  let slots = 0;
  for (const p of ports) {
    const cost = p.from === p.to ? 1 : 2;
    const current = groups[groups.length - 1];
    if (current === undefined || slots + cost > 15) {
      groups.push([p]);
      slots = cost;
    } else {
      current.push(p);
      slots += cost;
    }
  }
  return groups;
}

/** "52.1.37.96_32", "2406-da00-ff00--_48": a prefix as a name part using only letters, digits, '.', '-', '_'. */
export function prefixSlug(p: Prefix): string {
  return formatPrefix(p).replace(/:/g, "-").replace("/", "_");
}

/**
 * "<namePrefix>-<slug>" for one address object, within `max` characters: the name prefix is shortened when
 * needed (the slug alone keeps names unique), so long IPv6 prefixes still fit strict vendors.
 */
export function objectName(namePrefix: string, p: Prefix, max: number): string {
  const slug = prefixSlug(p);
  const room = Math.max(1, max - slug.length - 1);
  return `${namePrefix.slice(0, room)}-${slug}`;
}

/** An error per name longer than the vendor's limit. */
export function nameLengthErrors(id: string, names: readonly string[], max: number): string[] {
  return names
    .filter((n) => n.length > max)
    .map((n) => `${id}: name "${n}" is longer than ${max} characters; choose a shorter name prefix`);
}

/** Text cut to at most `max` characters (comments and descriptions only, never addresses). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max).trimEnd();
}

/** "allowlist-tcp-443", "allowlist-udp-80_8000-8100": a service/application name, or the short form past `max`. */
export function serviceName(namePrefix: string, options: ExportOptions, max: number): string {
  const full = `${namePrefix}-${options.protocol}-${portsText(options.ports, "-", "_")}`;
  return full.length <= max ? full : `${namePrefix}-${options.protocol}`;
}

/** The error for formats whose rule attaches to a target chosen elsewhere (security group, pod selector …). */
export function destinationErrors(id: string, options: ExportOptions, where: string): string[] {
  if (options.destination === undefined) return [];
  return [`${id}: the destination ${formatPrefix(options.destination)} cannot be expressed: ${where}`];
}

/** The characters AWS accepts in security group rule and prefix list descriptions; others are dropped. */
export function awsDescription(text: string): string {
  const allowed = singleLine(text).replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, "");
  return clip(allowed.replace(/ {2,}/g, " ").trim(), 255);
}

/** Items split so that each part holds at most `perPart` prefixes of each family (IPv4 and IPv6 counted apart). */
export function splitPerFamily(items: readonly ExportItem[], perPart: number): ExportItem[][] {
  const v4 = chunked(itemsOfFamily(items, 4), perPart);
  const v6 = chunked(itemsOfFamily(items, 6), perPart);
  const parts: ExportItem[][] = [];
  for (let i = 0; i < Math.max(v4.length, v6.length); i++) parts.push([...(v4[i] ?? []), ...(v6[i] ?? [])]);
  return parts;
}

/** 32-bit FNV-1a of the items' CIDRs, 8 hex digits: names a delta after its content (same delta, same name). */
export function deltaHash(items: readonly ExportItem[]): string {
  const text = items.map(itemCidr).join(" ");
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
