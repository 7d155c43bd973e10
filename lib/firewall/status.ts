import type { CatalogSource } from "../catalog/catalog";
import { diff } from "../diff/engines/objects";
import { parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";

/** How a saved firewall stands against one catalog version. */
export interface FirewallStatus {
  readonly compliant: boolean;
  readonly published: number;
  readonly covered: number;
  readonly partial: number;
  readonly missing: number;
  readonly catalogVersion: number;
}

export interface StatusInput {
  readonly text: string;
  readonly format: string;
  readonly regions: readonly string[];
  readonly port: number;
}

export function computeStatus(entries: CatalogSource, catalogVersion: number, input: StatusInput): FirewallStatus {
  const parsed = parseText(input.text, input.format as FormatId | "auto", { port: input.port });
  const { summary } = diff(entries, parsed, { regions: input.regions, port: input.port });
  return { compliant: summary.missing + summary.partial === 0, ...summary, catalogVersion };
}

/** "Compliant", "3 missing", "3 missing, 1 partial" — the words the list and the API show. */
export function statusLabel(s: FirewallStatus): string {
  if (s.compliant) return "Compliant";
  return s.partial > 0 ? `${s.missing} missing, ${s.partial} partial` : `${s.missing} missing`;
}

/**
 * Statuses by (revision id, catalog version id). Both are immutable, so an entry never goes stale; the map is bounded
 * so a server with thousands of firewalls and many catalog versions does not grow without limit.
 */
export class StatusCache {
  readonly #map = new Map<string, FirewallStatus>();
  constructor(readonly capacity = 2000) {}

  get(revisionId: number, catalogVersionId: number): FirewallStatus | undefined {
    const key = `${revisionId}:${catalogVersionId}`;
    const hit = this.#map.get(key);
    if (hit !== undefined) {
      // Re-insert so eviction drops the least recently used entry first.
      this.#map.delete(key);
      this.#map.set(key, hit);
    }
    return hit;
  }

  set(revisionId: number, catalogVersionId: number, status: FirewallStatus): void {
    const key = `${revisionId}:${catalogVersionId}`;
    this.#map.delete(key);
    this.#map.set(key, status);
    while (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.#map.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#map.size;
  }
}
