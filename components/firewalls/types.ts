/** A row of the /firewalls list, as plain serialisable values. */
export interface FirewallRow {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  /** "Up to date", "Needs 3 additions", "Has 1 entry the vendor no longer publishes" …; null when not checked. */
  readonly status: string | null;
  readonly compliant: boolean;
  /** How far from in line (additions weigh most, then stale lines), for sorting worst first. */
  readonly gaps: number;
  readonly regions: readonly string[];
  readonly port: number;
  readonly revision: number;
  /** ISO time of the last change. */
  readonly updatedAt: string;
}
