"use client";

import { SaveAsFirewall } from "@/components/firewalls/SaveAsFirewall";
import { ExportPanel } from "@/components/export/ExportPanel";
import { exportFormatForInput } from "@/lib/export/input-format";
import { CompareWorkbench } from "./CompareWorkbench";
import type { CompareWorkbenchProps } from "./types";

/**
 * The /compare screen's client side. The page is a server component and cannot pass functions, so the render-prop
 * seams are filled here: the export panel plugs into `below` (issue 6).
 */
export function CompareScreen({
  exportLabels,
  ...props
}: Omit<CompareWorkbenchProps, "actions" | "below" | "syncUrl"> & {
  /** Provider name and catalog label the export panel writes into comments. */
  readonly exportLabels: { readonly provider: string; readonly catalogLabel: string };
}) {
  const regionCodes = props.catalog.regions.map((r) => r.code);
  return (
    <CompareWorkbench
      {...props}
      syncUrl
      answerLabels={exportLabels}
      actions={(state) => <SaveAsFirewall state={state} regionCodes={regionCodes} />}
      below={(state) => (
        <ExportPanel
          published={props.catalog.entries}
          regions={state.regions}
          missing={state.result?.published.filter((p) => p.status !== "covered").map((p) => p.entry)}
          {...exportLabels}
          catalogVersion={props.catalog.version}
          source={{ kind: "paste" }}
          requestedScope={state.exportRequest}
          suggestedFormat={state.result ? exportFormatForInput(state.result.format) : undefined}
          compared={
            state.result
              ? {
                  format: state.result.format,
                  ...(state.result.target !== undefined ? { target: state.result.target } : {}),
                }
              : undefined
          }
        />
      )}
    />
  );
}
