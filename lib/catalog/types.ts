/** One CIDR of a provider's published catalog, with its region and products. */
export interface PublishedEntry {
  /** Canonical CIDR text ("52.1.37.96/32", RFC 5952 for IPv6). */
  readonly cidr: string;
  /** Region code as published: "US", "EU", "IN", "AU". */
  readonly region: string;
  readonly products: readonly string[];
}
