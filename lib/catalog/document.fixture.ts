// Catalog documents for tests, in the shape of the vendor's page: as its text, and as a browser-saved HTML page.
import { readFileSync } from "node:fs";
import { parseSeedDocument } from "./seed-document";

export const SEED_TEXT = readFileSync(new URL("./seed/freshworks-nat-ips.txt", import.meta.url), "utf8");

const parsed = parseSeedDocument(SEED_TEXT);
if (!parsed.ok) throw new Error("the seed document does not parse");

/** The seed's CIDRs by region, in document order. */
export const SEED_REGIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  parsed.value.regions.map((r) => [r.code, parsed.value.entries.filter((e) => e.region === r.code).map((e) => e.cidr)]),
);

/** The page's text with these regions' lists. */
export function catalogText(regions: Readonly<Record<string, readonly string[]>>): string {
  const table = Object.entries(regions).flatMap(([code, cidrs]) => [code, "", ...cidrs.flatMap((c) => [`${c} `, ""])]);
  return ["IP Allowlisting for Freshchat", "", "Region", "", "NAT IPs", "", ...table, "Do customers need to allowlist ports?", ""].join("\n");
}

/** The same page as a browser saves it: a table, one row per region, addresses separated by <br>. */
export function catalogHtml(regions: Readonly<Record<string, readonly string[]>>): string {
  const rows = Object.entries(regions)
    .map(([code, cidrs]) => `    <tr>\n      <td><strong>${code}</strong></td>\n      <td>${cidrs.map((c) => `${c}&nbsp;`).join("<br>")}</td>\n    </tr>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>IP Allowlisting for Freshchat &amp; Freddy</title>
<style>td { padding: 4px }</style><script>var x = "<td>US</td>";</script></head>
<body><h1>IP Allowlisting for Freshchat</h1>
<p>It is important to add Freshworks IP addresses to your Allowlist.</p>
<table>
  <thead><tr><th>Region</th><th>NAT IPs</th></tr></thead>
  <tbody>
${rows}
  </tbody>
</table>
<!-- <td>EU</td><td>1.2.3.4/32</td> -->
<h2>Do customers need to allowlist ports?</h2>
</body></html>
`;
}

/** The seed with US losing its first entry and gaining one, and EU gaining an IPv6 prefix. */
export const CHANGED_REGIONS: Readonly<Record<string, readonly string[]>> = {
  ...SEED_REGIONS,
  US: [...(SEED_REGIONS.US ?? []).slice(1), "52.1.37.97/32"],
  EU: [...(SEED_REGIONS.EU ?? []), "2a05:d014::/64"],
};
