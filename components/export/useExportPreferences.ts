"use client";

import { useEffect, useState } from "react";
import { z } from "zod";
import "../../lib/zod-jitless";
import { exportFormatIds } from "@/lib/export/registry";
import type { ExportFormatId } from "@/lib/export/types";

/** The panel's option fields as the user typed them (validated with exportOptionsSchema before use). */
export interface ExportFormValues {
  readonly ports: string;
  readonly protocol: "tcp" | "udp";
  readonly destination: string;
  readonly namePrefix: string;
  readonly comments: boolean;
  readonly aggregate: boolean;
  readonly family: "4" | "6" | "both";
  readonly deployment: "additive" | "dedicated";
  /** With the full scope: make the device's own objects equal to the selection (removes what is no longer published). */
  readonly sync: boolean;
}

export interface ExportPreferences {
  readonly format: ExportFormatId;
  readonly values: ExportFormValues;
}

export const defaultExportPreferences: ExportPreferences = {
  format: "csv",
  values: {
    ports: "443",
    protocol: "tcp",
    destination: "",
    namePrefix: "allowlist",
    comments: true,
    aggregate: true,
    family: "both",
    deployment: "additive",
    sync: false,
  },
};

const STORAGE_KEY = "allowlist.export.v1";

// What is stored may be from an older build or edited by hand: anything that does not fit is ignored.
const storedSchema = z.object({
  format: z.enum(exportFormatIds as [ExportFormatId, ...ExportFormatId[]]),
  values: z.object({
    ports: z.string().max(200),
    protocol: z.enum(["tcp", "udp"]),
    destination: z.string().max(100),
    namePrefix: z.string().max(100),
    comments: z.boolean(),
    aggregate: z.boolean(),
    family: z.enum(["4", "6", "both"]),
    // Absent in preferences stored by earlier builds.
    deployment: z.enum(["additive", "dedicated"]).default("additive"),
    sync: z.boolean().default(false),
  }),
});

/**
 * The last format and options, remembered in localStorage across pages and reloads. The first render uses the
 * defaults (the server cannot read localStorage), then the stored choice is applied once after mounting.
 */
export function useExportPreferences(): [ExportPreferences, (next: ExportPreferences) => void, boolean] {
  const [prefs, setPrefs] = useState<ExportPreferences>(defaultExportPreferences);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    try {
      const raw = window.localStorage.getItem(STORAGE_KEY);
      const parsed = raw === null ? undefined : storedSchema.safeParse(JSON.parse(raw));
      if (parsed?.success) setPrefs(parsed.data);
    } catch {
      // Unreadable storage (private mode, bad JSON): keep the defaults.
    }
    setLoaded(true);
  }, []);

  const update = (next: ExportPreferences) => {
    setPrefs(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the choice still applies to this page.
    }
  };
  return [prefs, update, loaded];
}
