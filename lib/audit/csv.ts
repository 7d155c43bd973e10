/**
 * CSV of audit events (RFC 4180). A cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * carriage return) is prefixed with a single quote, as OWASP advises: an actor or target is text a user chose.
 */
export interface CsvEvent {
  readonly id: number;
  readonly at: Date;
  readonly action: string;
  readonly actor: string;
  readonly ip: string;
  readonly target: string;
  readonly details: string;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const AUDIT_CSV_HEADER = "id,at,action,actor,ip,target,details\r\n";

export function auditCsvRow(e: CsvEvent): string {
  return `${[String(e.id), e.at.toISOString(), e.action, e.actor, e.ip, e.target, e.details].map(csvCell).join(",")}\r\n`;
}
