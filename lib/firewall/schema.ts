import { z } from "zod";
import "../zod-jitless";
import { MAX_INPUT_BYTES, detectFormat, exceedsInputLimit, isFormatId } from "../parse/registry";
import type { FormatId } from "../parse/types";
import { safeText } from "./safe-text";

/** Limits shared by the forms, the server actions and the REST API: the same input is accepted everywhere. */
export const FIREWALL_LIMITS = {
  name: 80,
  description: 500,
  note: 200,
  textBytes: MAX_INPUT_BYTES,
} as const;

/** Over the paste limit, measured in UTF-8 bytes exactly as the parsers measure it. */
export function isTextTooLarge(text: string): boolean {
  return exceedsInputLimit(text, FIREWALL_LIMITS.textBytes);
}

const TEXT_TOO_LARGE = `The text is over the ${FIREWALL_LIMITS.textBytes / 1024 / 1024} MB limit.`;

/** Form fields arrive as strings, JSON as numbers: both are accepted, nothing else. */
const portField = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d{1,5}$/, "Port must be a whole number from 1 to 65535."),
  ])
  .transform(Number)
  .pipe(
    z
      .number()
      .int("Port must be a whole number from 1 to 65535.")
      .min(1, "Port must be from 1 to 65535.")
      .max(65535, "Port must be from 1 to 65535."),
  );

const revisionField = z
  .union([z.number(), z.string().trim().regex(/^\d+$/, "baseRevision must be a revision number.")], {
    error: "baseRevision must be a revision number.",
  })
  .transform(Number)
  .pipe(z.number().int().min(0, "baseRevision must be a revision number."));

/**
 * The zod schemas of every firewall form and API body. Regions depend on the catalog, so the schemas are built from
 * its region codes (in catalog order); the chosen regions come out upper-case, deduplicated, in catalog order.
 */
export function firewallSchemas(knownRegions: readonly string[]) {
  const regions = z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      typeof v === "string" ? (v.trim().toLowerCase() === "all" ? [...knownRegions] : v.split(",")) : v,
    )
    .transform((v) => v.map((r) => r.trim().toUpperCase()).filter((r) => r !== ""))
    .superRefine((codes, ctx) => {
      const unknown = codes.filter((c) => !knownRegions.includes(c));
      if (unknown.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `Unknown region ${unknown.join(", ")} (known: ${knownRegions.join(", ")}).`,
        });
      else if (codes.length === 0) ctx.addIssue({ code: "custom", message: "Choose at least one region." });
    })
    .transform((codes) => knownRegions.filter((k) => codes.includes(k)));

  const content = {
    text: z.string().refine((t) => !isTextTooLarge(t), TEXT_TOO_LARGE),
    format: z
      .string()
      .trim()
      .default("auto")
      .refine((f) => f === "auto" || isFormatId(f), "Unknown format: use auto or one of the listed formats."),
    regions,
    port: portField.default(443),
    note: safeText("note")
      .pipe(z.string().max(FIREWALL_LIMITS.note, `The note is at most ${FIREWALL_LIMITS.note} characters.`))
      .default(""),
  };
  const name = safeText("name").pipe(
    z
      .string()
      .min(1, "Give the firewall a name.")
      .max(FIREWALL_LIMITS.name, `The name is at most ${FIREWALL_LIMITS.name} characters.`),
  );
  const description = safeText("description", { multiline: true }).pipe(
    z
      .string()
      .max(FIREWALL_LIMITS.description, `The description is at most ${FIREWALL_LIMITS.description} characters.`),
  );

  return {
    /** "Save as firewall" and POST /api/v1/firewalls. */
    create: z.object({ name, description: description.default(""), ...content }),
    /** "Save revision" and PUT /api/v1/firewalls/{id}: `baseRevision` is the head the editor started from. */
    revision: z.object({
      baseRevision: revisionField,
      name: name.optional(),
      description: description.optional(),
      ...content,
    }),
    /** POST /api/v1/diff: regions default to all, as on the command line. */
    diff: z.object({
      text: content.text,
      format: content.format,
      regions: regions.default([...knownRegions]),
      port: content.port,
    }),
    /** ?regions= and ?port= of GET /api/v1/firewalls/{id}/diff: absent ones keep the revision's own. */
    diffOverrides: z.object({ regions: regions.optional(), port: portField.optional() }),
    /** "Restore revision k" from the history page. */
    restore: z.object({
      baseRevision: revisionField,
      number: revisionField.pipe(z.number().min(1, "Pick a revision.")),
    }),
  };
}

export type FirewallSchemas = ReturnType<typeof firewallSchemas>;
export type CreateFirewallInput = z.output<FirewallSchemas["create"]>;
export type SaveRevisionInput = z.output<FirewallSchemas["revision"]>;

/** Route and URL ids: anything but a positive integer is "not found", never a database error. */
export const firewallIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .pipe(z.number().int().max(2147483647));

/** The field errors of a failed parse, first message per field ("" for the form as a whole). */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "";
    out[key] ??= issue.message;
  }
  return out;
}

/** What a revision stores: the format its text is read as, so "auto" is decided once, when saving. */
export function resolveFormat(text: string, format: string): FormatId {
  return format !== "auto" && isFormatId(format) ? format : detectFormat(text).format;
}

/** What a firewall form's server action answers when it does not redirect. */
export interface FirewallFormState {
  readonly message?: string;
  /** Field → first message, as fieldErrors() builds it. */
  readonly errors?: Readonly<Record<string, string>>;
  /** A save based on a revision that is no longer the head; the editor keeps the user's text. */
  readonly conflict?: { readonly head: number; readonly message: string };
}

export function conflictMessage(head: number): string {
  return `Someone saved revision ${head} while you were editing. Your text is kept below; review the latest and save again.`;
}
