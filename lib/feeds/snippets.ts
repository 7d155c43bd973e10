/** Configuration for the firewalls that poll feeds, with this feed's URL filled in. Pure. */
export interface FeedSnippet {
  readonly vendor: string;
  readonly text: string;
}

export interface FeedUrls {
  /** The token in the path: for pollers that cannot send credentials. */
  readonly tokenUrl: string;
  /** The feed id in the path; the token goes as the HTTP Basic password. */
  readonly basicUrl: string;
  readonly token: string;
}

function objectName(name: string, max: number): string {
  return (
    name
      .replace(/[^A-Za-z0-9_.-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, max) || "allowlist-feed"
  );
}

export function feedSnippets(
  feedName: string,
  format: "plain" | "checkpoint" | "json",
  urls: FeedUrls,
  pollMinutes: number,
): FeedSnippet[] {
  const name = objectName(feedName, 60);
  const out: FeedSnippet[] = [];
  if (format === "plain") {
    out.push({
      vendor: "PAN-OS (External Dynamic List)",
      text: [
        `set external-list ${name} type ip url "${urls.tokenUrl}"`,
        `set external-list ${name} type ip recurring ${pollMinutes <= 5 ? "five-minute" : pollMinutes <= 60 ? "hourly" : "daily"}`,
        `set external-list ${name} type ip description "Allowlist Admin feed"`,
        "commit",
      ].join("\n"),
    });
    out.push({
      vendor: "FortiGate (external threat feed)",
      text: [
        "config system external-resource",
        `    edit "${name}"`,
        "        set type address",
        `        set resource "${urls.basicUrl}"`,
        '        set username "feed"',
        `        set password ${urls.token}`,
        `        set refresh-rate ${Math.min(Math.max(pollMinutes, 1), 43200)}`,
        "    next",
        "end",
      ].join("\n"),
    });
    out.push({
      vendor: "pfSense / OPNsense (URL table alias)",
      text: [
        "Firewall › Aliases › URLs › Add",
        `  Name:        ${objectName(feedName, 31).replace(/[.-]/g, "_")}`,
        "  Type:        URL Table (IPs)",
        `  URL:         ${urls.tokenUrl}`,
        `  Update freq: ${Math.max(1, Math.round(pollMinutes / 1440))} (days)`,
        "Then use the alias as the source of a pass rule on the WAN interface.",
      ].join("\n"),
    });
  }
  if (format === "checkpoint") {
    out.push({
      vendor: "Check Point (Generic Data Center, R81 and later)",
      text: [
        `mgmt_cli add data-center-server name "${name}" type "generic" url "${urls.tokenUrl}" interval "${Math.max(pollMinutes * 60, 30)}"`,
        "mgmt_cli publish",
        `Then add the data center objects ("${feedName}" regions) as the source of an access rule.`,
      ].join("\n"),
    });
  }
  out.push({ vendor: "curl (check it by hand)", text: `curl -fsS -u feed:${urls.token} "${urls.basicUrl}"` });
  return out;
}
