/**
 * The path overrides and the traced address, as every boundary reads them: the CLI's --path/--ingress, the API's
 * `path`/`ingress` fields and the compare screen's URL. One definition, so all three accept exactly the same inputs.
 */
import { z } from "zod";
import { parseAddress } from "../ip/address";
import type { Address } from "../ip/types";
import type { ParseOptions, PathKind } from "./types";

export const PATH_KINDS = ["input", "forward"] as const satisfies readonly PathKind[];

export const PATH_MESSAGE = 'Path must be "input" (the service is the device itself) or "forward" (a host behind it).';
export const INGRESS_MESSAGE =
  "Ingress must be an interface, zone or interface list name: 1 to 64 printable characters.";

export const pathField = z.enum(PATH_KINDS, { error: PATH_MESSAGE });

/** An interface ("eth0", "ge-0/0/0.0"), zone ("untrust") or nftables interface pattern ("eth*") as the config names it. */
export const ingressField = z
  .string({ error: INGRESS_MESSAGE })
  .trim()
  .regex(/^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/, INGRESS_MESSAGE);

/** One IPv4 or IPv6 address, read by lib/ip's strict parser (no CIDR, no shorthand). */
export const addressField = z.string({ error: "Give one IPv4 or IPv6 address." }).transform((text, ctx): Address => {
  const r = parseAddress(text.trim());
  if (r.ok) return r.value;
  ctx.addIssue({ code: "custom", message: addressMessage(text.trim(), r.error.message, r.error.position) });
  return z.NEVER;
});

export function addressMessage(input: string, message: string, position: number): string {
  return input === ""
    ? "Give one IPv4 or IPv6 address."
    : `"${input}" is not an address: ${message} (column ${position + 1}).`;
}

/** Parse options from form, query or JSON values; absent fields are left to the parser's detection. */
export const pathOverrides = z.object({ path: pathField.optional(), ingress: ingressField.optional() });
export type PathOverrides = z.output<typeof pathOverrides>;

/** The parse options of validated overrides: absent ones are left to the parser's detection. */
export function parseOptionsOf(o: PathOverrides): ParseOptions {
  return {
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.ingress !== undefined ? { ingress: o.ingress } : {}),
  };
}

/** The URL / form value of a path override: a path kind, or undefined for "detect". */
export function parsePathParam(text: string | null | undefined): PathKind | undefined {
  const r = pathField.safeParse(text);
  return r.success ? r.data : undefined;
}

/** The URL / form value of an ingress override, or undefined when absent or not a name. */
export function parseIngressParam(text: string | null | undefined): string | undefined {
  const r = ingressField.safeParse(text);
  return r.success ? r.data : undefined;
}
