import {
  clip,
  deltaHash,
  describeExport,
  destinationErrors,
  familyErrors,
  itemCidr,
  itemComment,
  oneFile,
  refused,
  textFile,
} from "../helpers";
import type { Exporter } from "../types";

/** yamllint's default line length; comments are clipped to it. */
const MAX_LINE = 80;

/** A DNS-1123 name from the user's name prefix (letters, digits, '-' only, lower case). */
function k8sName(text: string): string {
  return text.toLowerCase().replace(/_/g, "-");
}

/**
 * A NetworkPolicy (networking.k8s.io/v1) admitting ingress from one ipBlock per prefix on the given ports, for
 * every pod of the namespace it is applied in (podSelector {} — narrow it to the webhook receivers). Ports ranges
 * use endPort (Kubernetes 1.25+). A destination cannot be expressed: pods are chosen by selector, not address.
 * A delta is a policy of its own, named after its content (`<name>-delta-<hash>`): policies add up, while applying
 * one with the full export's name would replace that policy's ipBlocks with the delta's and revoke the rest.
 * Selecting a pod isolates it for ingress, which the warning says (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 * targetAcl names the namespace (a missing delta takes the compared policies'): a NetworkPolicy selects pods of its own
 * namespace only, and one without metadata.namespace is created in kubectl's current namespace.
 */
export const k8s = {
  id: "k8s",
  label: "Kubernetes NetworkPolicy (YAML)",
  extension: "yaml",
  supports: { families: [4, 6], ports: true, destination: false, comments: true, target: true },
  render(items, options, baseName) {
    const errors = [
      ...familyErrors("k8s", items, { ...options, destination: undefined }, [4, 6]),
      ...destinationErrors("k8s", options, "a NetworkPolicy selects pods with podSelector, not by address"),
    ];
    const name =
      options.scope === "missing"
        ? `${k8sName(options.namePrefix)}-delta-${deltaHash(items)}`
        : k8sName(options.namePrefix);
    // A DNS-1123 subdomain ends with a letter or digit; kubectl refuses "fw-" (from the name prefix "fw-" or "fw_").
    if (!/[a-z0-9]$/.test(name))
      errors.push(`k8s: NetworkPolicy name "${name}" must end with a letter or digit; choose another name prefix`);
    const namespace = options.targetAcl;
    // A namespace name is a DNS-1123 label (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/).
    if (namespace !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(namespace))
      errors.push(`k8s: namespace "${namespace}" is not a DNS-1123 label`);
    if (options.targetLine !== undefined)
      errors.push("k8s: NetworkPolicies add up, unordered: a line number (targetLine) cannot be expressed");
    if (errors.length > 0) return refused(errors);

    const comment = (indent: string, text: string) => clip(`${indent}# ${text}`, MAX_LINE);
    const protocol = options.protocol.toUpperCase();
    const lines: string[] = ["---"];
    if (options.comments) lines.push(...describeExport(items, options).map((l) => comment("", l)));
    lines.push(
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata:",
      `  name: ${name}`,
      ...(namespace !== undefined ? [`  namespace: ${namespace}`] : []),
      "spec:",
      "  podSelector: {}",
      "  policyTypes:",
      "    - Ingress",
      "  ingress:",
      "    - from:",
    );
    for (const item of items) {
      if (options.comments) lines.push(comment("        ", itemComment(item)));
      lines.push("        - ipBlock:", `            cidr: "${itemCidr(item)}"`);
    }
    lines.push("      ports:");
    for (const p of options.ports) {
      lines.push(`        - protocol: ${protocol}`, `          port: ${p.from}`);
      if (p.to !== p.from) lines.push(`          endPort: ${p.to}`);
    }
    return oneFile(`${baseName}.yaml`, "application/yaml; charset=utf-8", textFile(lines), [
      "k8s: podSelector {} selects every pod of the namespace, and a selected pod accepts only the ingress some NetworkPolicy allows: pods no other policy selected lose all other ingress. Narrow podSelector to the webhook receivers",
    ]);
  },
} satisfies Exporter;
