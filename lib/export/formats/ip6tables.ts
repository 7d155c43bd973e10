import type { Exporter } from "../types";
import { renderXtables } from "./iptables";

export const ip6tables = {
  id: "ip6tables",
  label: "ip6tables (shell script, IPv6)",
  extension: "sh",
  supports: { families: [6], ports: true, destination: true, comments: true, sync: true, dedicated: true },
  render: (items, options, baseName) => renderXtables("ip6tables", 6, items, options, baseName),
} satisfies Exporter;
