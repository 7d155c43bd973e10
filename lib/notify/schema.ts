import { z } from "zod";

/** A new webhook, from the API and the dashboard. The secret is generated when not given. */
export function webhookSchema(regionCodes: readonly string[]) {
  return z.strictObject({
    url: z
      .string()
      .trim()
      .max(2000)
      .refine((u) => {
        try {
          const p = new URL(u).protocol;
          return p === "https:" || p === "http:";
        } catch {
          return false;
        }
      }, "an http or https URL"),
    secret: z.string().min(16, "at least 16 characters").max(200).optional(),
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
      }),
  });
}
