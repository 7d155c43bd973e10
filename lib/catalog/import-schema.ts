import { z } from "zod";

/**
 * One catalog import request, from the API, the dashboard's form or the CLI: the document as text (pasted, or an
 * uploaded file's contents with its name and type) or a URL to fetch; without `confirm` it is a preview, with it
 * (the preview's base version and checksum) it creates the version the preview showed.
 */
export const importRequestSchema = z
  .strictObject({
    text: z.string().optional(),
    url: z.string().trim().max(2000).optional(),
    name: z.string().max(200).optional(),
    contentType: z.string().max(200).optional(),
    confirm: z
      .strictObject({
        baseVersion: z.number().int().positive(),
        checksum: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 checksum in lowercase hex"),
      })
      .optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.url === undefined), {
    message: "give exactly one of text and url",
    path: ["text"],
  });

export type ImportRequest = z.infer<typeof importRequestSchema>;
