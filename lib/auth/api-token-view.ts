import type { Role } from "./permissions";

/** An API token as the account pages show it: never the token itself, only its last characters. */
export interface ApiTokenView {
  readonly id: number;
  readonly userId: string;
  readonly name: string;
  readonly role: Role;
  readonly tokenHint: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly lastUsedIp: string | null;
}
