// The export panel's "record this export" form: one schema shared by the panel (client) and its server action.
import { z } from "zod";
import "../zod-jitless";
import { exportFormatIds } from "./registry";
import type { ExportFormatId } from "./types";

export const exportChannels = ["copy", "download", "api", "cli"] as const;
export type ExportChannel = (typeof exportChannels)[number];

export const exportSources = ["catalog", "paste", "firewall"] as const;
export type ExportSource = (typeof exportSources)[number];

const regionCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,16}$/, "a region code such as US")
  .transform((r) => r.toUpperCase());

export const recordExportSchema = z
  .object({
    format: z.enum(exportFormatIds as [ExportFormatId, ...ExportFormatId[]]),
    channel: z.enum(["copy", "download"]),
    scope: z.enum(["full", "missing", "sync"]),
    source: z.enum(exportSources),
    firewallId: z.number().int().positive().optional(),
    regions: z.array(regionCode).max(64),
    /** The options as the panel validated them with exportOptionsSchema; re-validated by the action. */
    options: z.record(z.string(), z.unknown()),
    /**
     * For a missing-only export of a paste (which only the browser holds): the published CIDRs it exported. The server
     * counts those that are catalog entries of the chosen regions; it takes no count from the client.
     */
    cidrs: z.array(z.string().max(64)).max(100_000).optional(),
    /** The catalog version the panel rendered from; the current one when absent. */
    catalogVersion: z.number().int().positive().optional(),
  })
  .refine((r) => r.source !== "firewall" || r.firewallId !== undefined, {
    message: "a firewall export names its firewall",
    path: ["firewallId"],
  });

export type RecordExportInput = z.input<typeof recordExportSchema>;

export type RecordExportResult =
  | { readonly ok: true; readonly id: number }
  | { readonly ok: false; readonly message: string; readonly errors?: Readonly<Record<string, readonly string[]>> };
