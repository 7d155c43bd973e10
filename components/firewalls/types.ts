/** A row of the /firewalls list, as plain serialisable values. */
export interface FirewallRow {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  /** "Compliant", "3 missing" …; null when the text could not be checked. */
  readonly status: string | null;
  readonly compliant: boolean;
  /** Missing + partial, for sorting by how much is wrong. */
  readonly gaps: number;
  readonly regions: readonly string[];
  readonly port: number;
  readonly revision: number;
  /** ISO time of the last change. */
  readonly updatedAt: string;
}
