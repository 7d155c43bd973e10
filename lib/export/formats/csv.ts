import { destinationErrors, itemCidr, oneFile, refused } from "../helpers";
import type { Exporter } from "../types";

/** A cell a spreadsheet would run as a formula starts with one of these: neutralised with a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.split('"').join('""')}"` : safe;
}

function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** RFC 4180 CSV (CRLF records, UTF-8 without BOM): one row per prefix; with comments, its regions and products. */
export const csv = {
  id: "csv",
  label: "CSV",
  extension: "csv",
  supports: { families: [4, 6], ports: false, destination: false, comments: true },
  render(items, options, baseName) {
    const refusals = destinationErrors("csv", options, "a CSV list has no destination");
    if (refusals.length > 0) return refused(refusals);
    const header = options.comments ? ["cidr", "family", "regions", "products", "catalog"] : ["cidr", "family"];
    const rows = items.map((item) => {
      const cells = [itemCidr(item), `IPv${item.prefix.address.family}`];
      return options.comments
        ? [...cells, item.regions.join("; "), item.products.join("; "), options.catalogLabel]
        : cells;
    });
    const content = [header, ...rows].map(csvRecord).join("");
    return oneFile(`${baseName}.csv`, "text/csv; charset=utf-8", content);
  },
} satisfies Exporter;
