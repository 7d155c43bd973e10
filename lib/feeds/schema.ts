import { z } from "zod";

/** A new feed, from the API and the dashboard form. Region codes are checked against the catalog by the caller's refine. */
export function feedSchema(regionCodes: readonly string[]) {
  return z
    .strictObject({
      name: z.string().trim().min(1, "a name is required").max(100),
      kind: z.enum(["selection", "firewall"]).default("selection"),
      regions: z
        .union([z.array(z.string()), z.string()])
        .default([])
        .transform((v) =>
          (typeof v === "string" ? v.split(",") : v)
            .map((r) => r.trim().toUpperCase())
            .filter((r) => r !== "" && r !== "ALL"),
        )
        .refine((list) => list.every((r) => regionCodes.includes(r)), {
          message: `regions must be among ${regionCodes.join(", ")}`,
        })
        .transform((list) => regionCodes.filter((r) => list.includes(r))),
      family: z.enum(["4", "6", "both"]).default("both"),
      aggregate: z.union([z.boolean(), z.enum(["true", "false", "on"]).transform((v) => v !== "false")]).default(true),
      firewallId: z.coerce.number().int().positive().optional(),
      format: z.enum(["plain", "checkpoint", "json"]).default("plain"),
      pollMinutes: z.coerce
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
    })
    .refine((f) => f.kind !== "firewall" || f.firewallId !== undefined, {
      message: "a firewall feed needs firewallId",
      path: ["firewallId"],
    });
}

export type FeedInput = z.infer<ReturnType<typeof feedSchema>>;
