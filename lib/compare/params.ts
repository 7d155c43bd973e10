import { isFormatId } from "../parse/registry";
import type { FormatId } from "../parse/types";

export const DEFAULT_PORT = 443;

/** A TCP port as typed or found in a URL: a whole number 1–65535, otherwise undefined. */
export function parsePort(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !/^\s*\d{1,5}\s*$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** The `format` URL parameter: a format id, or "auto" when absent or unknown. */
export function parseFormatParam(text: string | null | undefined): FormatId | "auto" {
  return text !== null && text !== undefined && isFormatId(text) ? text : "auto";
}
