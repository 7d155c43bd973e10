"use client";

import { describeSupport, exportFormatGroups } from "@/lib/export/describe";
import { exporters } from "@/lib/export/registry";
import type { ExportFormatId } from "@/lib/export/types";
import type { ExportState } from "./useExport";
import type { ExportFormValues } from "./useExportPreferences";
import { inputClass } from "./styles";

const FIELD_LABELS: Record<keyof ExportFormValues, string> = {
  ports: "Ports",
  protocol: "Protocol",
  destination: "Destination",
  namePrefix: "Name prefix",
  comments: "Comments",
  aggregate: "Aggregate",
  family: "Family",
  deployment: "Deployment",
  sync: "Sync",
};

/** The left column: export format and the options, each with its error from the shared zod schema. */
export function ExportOptionsForm({ id, state }: { id: string; state: ExportState }) {
  const { format, values, setPrefs, setValue, chooseFile, setStatus, chosenScope } = state;
  return (
    <div className="space-y-3">
      <div>
        <label htmlFor={`${id}-format`} className="block text-sm font-medium">
          Export format
        </label>
        <select
          id={`${id}-format`}
          value={format}
          onChange={(e) => {
            setPrefs({ format: e.target.value as ExportFormatId, values });
            chooseFile(0);
            setStatus(undefined);
          }}
          className={inputClass}
          aria-describedby={`${id}-supports`}
        >
          {exportFormatGroups.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.ids.map((fid) => (
                <option key={fid} value={fid}>
                  {exporters[fid].label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p id={`${id}-supports`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          Holds {describeSupport(format)}
        </p>
      </div>

      <div className="grid grid-cols-2 gap-3">
        <TextOption id={`${id}-ports`} field="ports" placeholder="443" state={state} />
        <div>
          <label htmlFor={`${id}-protocol`} className="block text-sm font-medium">
            {FIELD_LABELS.protocol}
          </label>
          <select
            id={`${id}-protocol`}
            value={values.protocol}
            onChange={(e) => setValue("protocol", e.target.value as "tcp" | "udp")}
            className={inputClass}
          >
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>
        </div>
      </div>

      <TextOption
        id={`${id}-destination`}
        field="destination"
        placeholder="any, or 203.0.113.10, 2001:db8::/64"
        state={state}
      />

      <TextOption id={`${id}-name-prefix`} field="namePrefix" state={state} />

      <div>
        <label htmlFor={`${id}-family`} className="block text-sm font-medium">
          {FIELD_LABELS.family}
        </label>
        <select
          id={`${id}-family`}
          value={values.family}
          onChange={(e) => setValue("family", e.target.value as "4" | "6" | "both")}
          className={inputClass}
        >
          <option value="both">IPv4 and IPv6</option>
          <option value="4">IPv4 only</option>
          <option value="6">IPv6 only</option>
        </select>
      </div>

      <div>
        <label htmlFor={`${id}-deployment`} className="block text-sm font-medium">
          {FIELD_LABELS.deployment}
        </label>
        <select
          id={`${id}-deployment`}
          value={values.deployment}
          onChange={(e) => setValue("deployment", e.target.value as "additive" | "dedicated")}
          className={inputClass}
        >
          <option value="additive">Additive: accept rules inside my policy</option>
          <option value="dedicated">Dedicated: only these may reach the port</option>
        </select>
      </div>

      <div className="space-y-1.5 text-sm">
        {chosenScope === "full" ? (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={values.sync} onChange={(e) => setValue("sync", e.target.checked)} />
            Sync: also remove what is no longer published
          </label>
        ) : null}
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={values.aggregate} onChange={(e) => setValue("aggregate", e.target.checked)} />
          Aggregate to the fewest CIDRs
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={values.comments} onChange={(e) => setValue("comments", e.target.checked)} />
          Comments (region, product, catalog version)
        </label>
      </div>
    </div>
  );
}

/** A typed option (ports, destination, name prefix) with its label and, when refused, its error read with it. */
function TextOption({
  id,
  field,
  placeholder,
  state,
}: {
  id: string;
  field: "ports" | "destination" | "namePrefix";
  placeholder?: string;
  state: ExportState;
}) {
  const errors = state.fieldErrors[field];
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {FIELD_LABELS[field]}
      </label>
      <input
        id={id}
        value={state.values[field]}
        onChange={(e) => state.setValue(field, e.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        className={`${inputClass} font-mono`}
      />
      {errors ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
