/**
 * Kubernetes NetworkPolicy YAML, with exact entries and verdicts; semantics from
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/ (union of policies, ipBlock except,
 * ports with endPort, peers ORed, default-deny once a policy selects the pods for Ingress).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseK8s } from "./k8s";
import { type PathRow, assertWins, pathRows, verdict } from "./hosts.testkit";
import { statuses } from "./path.testkit";

const POLICIES = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: freshworks-webhooks
  namespace: support
spec:
  podSelector:
    matchLabels:
      app: webhook-receiver
  policyTypes:
    - Ingress
  ingress:
    - from:
        - ipBlock:
            cidr: 52.1.37.0/24
            except:
              - 52.1.37.96/32
        - ipBlock:
            cidr: 2406:da00:ff00::/48
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - protocol: TCP
          port: 8443
        - port: 9000
          endPort: 9100
        - port: https
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: monitoring
  namespace: support
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock:
            cidr: 3.74.148.8/30
---
apiVersion: v1
kind: Service
metadata:
  name: receiver
`;

const NP = "NetworkPolicies selecting the service's pods";

describe("Kubernetes NetworkPolicy", () => {
  test("two policies add up; except carves out; named ports and selector peers are not read as addresses", () => {
    const out = parseK8s(POLICIES);
    assert.deepEqual(pathRows(out), {
      entries: [
        [
          16,
          "52.1.37.0-52.1.37.95",
          "range",
          "allow",
          "in",
          "tcp",
          "8443",
          "",
          14,
          "52.1.37.0/24 except 52.1.37.96/32",
          "freshworks-webhooks",
          0,
          "",
        ],
        [
          16,
          "52.1.37.0-52.1.37.95",
          "range",
          "allow",
          "in",
          "tcp",
          "9000-9100",
          "",
          14,
          "52.1.37.0/24 except 52.1.37.96/32",
          "freshworks-webhooks",
          0,
          "",
        ],
        [
          16,
          "52.1.37.97-52.1.37.255",
          "range",
          "allow",
          "in",
          "tcp",
          "8443",
          "",
          14,
          "52.1.37.0/24 except 52.1.37.96/32",
          "freshworks-webhooks",
          0,
          "",
        ],
        [
          16,
          "52.1.37.97-52.1.37.255",
          "range",
          "allow",
          "in",
          "tcp",
          "9000-9100",
          "",
          14,
          "52.1.37.0/24 except 52.1.37.96/32",
          "freshworks-webhooks",
          0,
          "",
        ],
        [
          20,
          "2406:da00:ff00::/48",
          "cidr",
          "allow",
          "in",
          "tcp",
          "8443",
          "",
          14,
          "2406:da00:ff00::/48",
          "freshworks-webhooks",
          0,
          "",
        ],
        [
          20,
          "2406:da00:ff00::/48",
          "cidr",
          "allow",
          "in",
          "tcp",
          "9000-9100",
          "",
          14,
          "2406:da00:ff00::/48",
          "freshworks-webhooks",
          0,
          "",
        ],
        [41, "3.74.148.8/30", "cidr", "allow", "in", "", "", "", 39, "3.74.148.8/30", "monitoring", 0, ""],
      ],
      findings: [
        [
          29,
          "not-understood",
          'Named port "https" is the container\'s port name, not a number: this port is not read.',
        ],
        [43, "note", "A Service is not a NetworkPolicy: not read."],
      ],
      notes: ["Pod and namespace selectors stand for pods inside the cluster: they never admit an Internet sender."],
    });
    assert.equal(
      verdict(out, "52.1.37.96", 8443),
      `52.1.37.96 → TCP 8443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
    assert.equal(verdict(out, "52.1.37.95", 9050), "52.1.37.95 → TCP 9050: allowed by line 16.");
    assert.equal(verdict(out, "3.74.148.9", 22), "3.74.148.9 → TCP 22: allowed by line 41.");
    assertWins(POLICIES, "k8s");
  });

  test("no policy for Ingress: the pods accept everything", () => {
    const out = parseK8s(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: egress-only\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n",
    );
    assert.equal(out.path?.contexts[0]?.fallthrough, "allow");
    assert.equal(verdict(out, "52.1.37.96"), `52.1.37.96 → TCP 443: allowed by the default of ${NP}.`);
  });

  test("an isolating policy without ingress rules denies everything; broken YAML is a finding", () => {
    const deny = parseK8s(
      "kind: NetworkPolicy\nmetadata:\n  name: deny-all\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n",
    );
    assert.equal(
      verdict(deny, "52.1.37.96"),
      `52.1.37.96 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
    const broken = parseK8s("kind: NetworkPolicy\nspec: [unclosed\n");
    assert.equal(broken.findings[0]?.kind, "invalid");
  });

  // `kubectl get networkpolicy -o json` is JSON, which is YAML: it was not detected ("Nothing recognised").
  // A peer with an ipBlock and a selector is refused by the API server ("If this field is set then neither of the
  // other fields can be": https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/);
  // it was read as allowing its cidr.
  test("kubectl JSON is detected and read; an ipBlock peer with a selector is invalid", () => {
    const text = `{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": { "name": "fw", "namespace": "web" },
            "spec": {
                "ingress": [
                    {
                        "from": [
                            { "ipBlock": { "cidr": "52.1.37.96/32" } },
                            { "ipBlock": { "cidr": "52.1.32.88/32" }, "podSelector": {} }
                        ],
                        "ports": [ { "port": 443, "protocol": "TCP" } ]
                    }
                ],
                "podSelector": { "matchLabels": { "app": "webhook" } },
                "policyTypes": [ "Ingress" ]
            }
        }
    ],
    "kind": "List",
    "metadata": { "resourceVersion": "" }
}`;
    const out = parseK8s(text);
    assert.deepEqual(pathRows(out), {
      entries: [[12, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 10, "52.1.37.96/32", "fw", 0, ""]],
      findings: [
        [
          13,
          "invalid",
          "An ipBlock peer cannot also have a podSelector: the API server rejects this policy, so it allows nothing.",
        ],
      ],
      notes: [],
    });
    assert.match(verdict(out, "52.1.32.88"), /blocked/);
    assertWins(text, "k8s");
  });

  // NetworkPolicyPort.port is "a numerical or named port on a pod"
  // (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/): a Service's port 443
  // with targetPort 8443 is allowed by "port: 8443", so the assumption line says which port to check.
  test("the assumption says policy ports are the pods' own, not a Service's", () => {
    const out = parseK8s(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: webhooks
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress]
  ingress:
    - from:
        - ipBlock:
            cidr: 52.1.37.96/32
      ports:
        - port: 8443
`);
    assert.match(
      out.path?.assumption ?? "",
      /Policy ports are the pods' own \(a Service's targetPort\): check that port with --port\.$/,
    );
    assert.deepEqual(statuses(out, ["52.1.37.96"], 8443), { "52.1.37.96": "covered" });
  });
  // A LoadBalancer Service's loadBalancerSourceRanges (or the older annotation) make the cloud load balancer refuse
  // other clients (https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restricting-client-source-ip-addresses-for-load-balancers);
  // ingress-nginx's allowlist-source-range (whitelist-source-range before v1.9) and denylist-source-range make the
  // controller answer 403 (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#allowlist-source-range).
  // Both were "not a NetworkPolicy: not read", and with no policy isolating the pods every address was reported allowed.
  test("a LoadBalancer Service's source ranges and ingress-nginx source-range annotations are places on the path", () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: webhooks
spec:
  type: LoadBalancer
  selector:
    app: webhooks
  ports:
    - port: 443
      targetPort: 8443
  loadBalancerSourceRanges:
    - 52.1.37.96/32
    - 13.232.152.0/24
`;
    assertWins(svc, "k8s");
    const out = parseK8s(svc);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.fallthrough, c.onPath]),
      [
        ["Service webhooks (loadBalancerSourceRanges)", "deny", true],
        [NP, "allow", true],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), `52.1.37.96 → TCP 443: allowed by line 13, then the default of ${NP}.`);
    assert.equal(
      verdict(out, "13.232.152.211"),
      `13.232.152.211 → TCP 443: allowed by line 14, then the default of ${NP}.`,
    );
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of Service webhooks (loadBalancerSourceRanges) (line 1) matches, and its default is deny.",
    );
    assert.deepEqual(out.findings, []);

    const annotated = `apiVersion: v1
kind: Service
metadata:
  name: legacy
  annotations:
    service.beta.kubernetes.io/load-balancer-source-ranges: "52.1.32.88/32, 18.208.240.77/32"
spec:
  type: LoadBalancer
  ports:
    - port: 443
---
apiVersion: v1
kind: Service
metadata:
  name: internal
spec:
  type: ClusterIP
  loadBalancerSourceRanges: [52.1.37.96/32]
`;
    const legacy = parseK8s(annotated);
    assert.equal(
      verdict(legacy, "18.208.240.77"),
      `18.208.240.77 → TCP 443: allowed by line 6, then the default of ${NP}.`,
    );
    assert.match(verdict(legacy, "52.1.37.96"), /blocked — no rule of Service legacy/);
    assert.deepEqual(
      legacy.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          12,
          "note",
          'Service "internal" is not of type LoadBalancer: its source ranges restrict nothing (only a cloud load balancer applies them).',
        ],
      ],
    );

    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: hooks
  annotations:
    nginx.ingress.kubernetes.io/whitelist-source-range: "52.1.37.0/24,18.208.240.77/32"
    nginx.ingress.kubernetes.io/denylist-source-range: "52.1.37.96/32"
spec:
  ingressClassName: nginx
  rules:
    - host: hooks.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: alb
  annotations:
    nginx.ingress.kubernetes.io/allowlist-source-range: "10.0.0.0/8"
spec:
  ingressClassName: alb
`;
    assertWins(ingress, "k8s");
    const nginx = parseK8s(ingress);
    assert.equal(
      verdict(nginx, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 7 in Ingress hooks (ingress-nginx source ranges).",
    );
    assert.equal(verdict(nginx, "52.1.37.97"), `52.1.37.97 → TCP 443: allowed by line 6, then the default of ${NP}.`);
    assert.match(verdict(nginx, "52.1.32.88"), /blocked — no rule of Ingress hooks/);
    assert.deepEqual(
      nginx.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          13,
          "note",
          'Ingress "alb" is of class "alb": the nginx.ingress.kubernetes.io source-range annotations are ingress-nginx\'s, and another controller ignores them. Not read.',
        ],
      ],
    );
  });
  // CiliumNetworkPolicy (https://docs.cilium.io/en/stable/security/policy/language/): a policy with ingress or
  // ingressDeny rules puts the pods in default deny ("If not specified, the default is true for each traffic direction
  // that has rules": Rule.enableDefaultDeny), fromCIDR / fromCIDRSet (except) / fromEntities world are Internet
  // peers, toPorts ports are strings, and ingressDeny wins over every allow. It was "not a NetworkPolicy: not read",
  // so with no NetworkPolicy the pods were read as accepting everything.
  test("CiliumNetworkPolicy: default deny once it has ingress rules; CIDR peers, world, toPorts; deny rules win", () => {
    const text = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: webhooks
spec:
  endpointSelector:
    matchLabels:
      app: webhooks
  ingress:
    - fromCIDRSet:
        - cidr: 52.1.37.0/24
          except:
            - 52.1.37.96/32
      toPorts:
        - ports:
            - port: "8443"
              protocol: TCP
    - fromEndpoints:
        - matchLabels:
            app: frontend
    - fromCIDR:
        - 13.232.152.0/24
    - fromEntities:
        - world
      toPorts:
        - ports:
            - port: "9000"
              endPort: 9100
  ingressDeny:
    - fromCIDR:
        - 13.232.152.7/32
`;
    assertWins(text, "k8s");
    const out = parseK8s(text);
    assert.equal(verdict(out, "52.1.37.97", 8443), "52.1.37.97 → TCP 8443: allowed by line 11.");
    assert.equal(
      verdict(out, "52.1.37.96", 8443),
      `52.1.37.96 → TCP 8443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
    assert.equal(
      verdict(out, "52.1.37.97", 443),
      `52.1.37.97 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
    assert.equal(verdict(out, "13.232.152.1", 443), "13.232.152.1 → TCP 443: allowed by line 22.");
    assert.equal(verdict(out, "13.232.152.7", 443), `13.232.152.7 → TCP 443: blocked by line 31 in ${NP}.`);
    assert.equal(verdict(out, "3.74.148.8", 9050), "3.74.148.8 → TCP 9050: allowed by line 24.");
    assert.deepEqual(out.findings, []);
    assert.deepEqual(out.notes, [
      "Pod and namespace selectors stand for pods inside the cluster: they never admit an Internet sender.",
    ]);
    // An empty rule allows nothing but still isolates; enableDefaultDeny.ingress: false does not isolate.
    const deny = parseK8s(
      "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: deny-all\nspec:\n  endpointSelector: {}\n  ingress:\n    - {}\n",
    );
    assert.equal(
      verdict(deny, "52.1.37.96"),
      `52.1.37.96 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
    const open = parseK8s(
      "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: block-one\nspec:\n  endpointSelector: {}\n  enableDefaultDeny:\n    ingress: false\n  ingressDeny:\n    - fromCIDR: [52.1.37.96/32]\n",
    );
    assert.equal(verdict(open, "52.1.32.88"), `52.1.32.88 → TCP 443: allowed by the default of ${NP}.`);
    assert.equal(verdict(open, "52.1.37.96"), `52.1.37.96 → TCP 443: blocked by line 10 in ${NP}.`);
    // kubectl get cnp -o json: JSON is YAML.
    const json = `{
  "apiVersion": "v1",
  "items": [
    {
      "apiVersion": "cilium.io/v2",
      "kind": "CiliumNetworkPolicy",
      "metadata": { "name": "webhooks", "namespace": "support" },
      "spec": {
        "endpointSelector": { "matchLabels": { "app": "webhooks" } },
        "ingress": [ { "fromCIDR": [ "52.1.37.96/32" ], "toPorts": [ { "ports": [ { "port": "443", "protocol": "TCP" } ] } ] } ]
      }
    }
  ],
  "kind": "List"
}`;
    assertWins(json, "k8s");
    const listed = parseK8s(json);
    assert.equal(verdict(listed, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 10.");
    assert.equal(
      verdict(listed, "52.1.32.88"),
      `52.1.32.88 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
  });

  // An anchor (&name) on any node and an alias (*name) of it: the alias stands for the most recent node before it with
  // that anchor (YAML 1.2 §3.2.2.2, §7.1: https://yaml.org/spec/1.2.2/#alias-nodes), as kubectl's go-yaml reads it.
  // Aliases were dropped: the rule "from: *freshworks" allowed nothing (0 covered where kubectl allows two addresses).
  // What an alias brings carries the lines where the anchored content is written.
  test("anchors and aliases expand as kubectl reads them: a from list, a scalar, a whole rule", () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: fw
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from: &freshworks
        - ipBlock: {cidr: &one 52.1.37.96/32}
        - ipBlock: {cidr: 52.1.32.88/32}
      ports: [{protocol: TCP, port: 8080}]
    - from: *freshworks
      ports:
        - port: 443
    - &us
      from:
        - ipBlock:
            cidr: 52.1.37.0/24
            except: [*one]
        - ipBlock: {cidr: &one 18.208.240.77/32}
        - ipBlock: {cidr: *one}
      ports: [{port: 9443}]
    - *us
`;
    const out = parseK8s(text);
    // The rule anchored &us starts on line 17, its first key, under "- &us".
    const us: PathRow[] = [
      [
        19,
        "52.1.37.0-52.1.37.95",
        "range",
        "allow",
        "in",
        "tcp",
        "9443",
        "",
        17,
        "52.1.37.0/24 except 52.1.37.96/32",
        "fw",
        0,
        "",
      ],
      [
        19,
        "52.1.37.97-52.1.37.255",
        "range",
        "allow",
        "in",
        "tcp",
        "9443",
        "",
        17,
        "52.1.37.0/24 except 52.1.37.96/32",
        "fw",
        0,
        "",
      ],
      // *one: the anchor on line 21, the most recent before it.
      [21, "18.208.240.77", "cidr", "allow", "in", "tcp", "9443", "", 17, "18.208.240.77/32", "fw", 0, ""],
      [21, "18.208.240.77", "cidr", "allow", "in", "tcp", "9443", "", 17, "18.208.240.77/32", "fw", 0, ""],
    ];
    assert.deepEqual(pathRows(out), {
      entries: [
        [10, "52.1.37.96", "cidr", "allow", "in", "tcp", "8080", "", 9, "52.1.37.96/32", "fw", 0, ""],
        [11, "52.1.32.88", "cidr", "allow", "in", "tcp", "8080", "", 9, "52.1.32.88/32", "fw", 0, ""],
        [10, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 13, "52.1.37.96/32", "fw", 0, ""],
        [11, "52.1.32.88", "cidr", "allow", "in", "tcp", "443", "", 13, "52.1.32.88/32", "fw", 0, ""],
        ...us,
        // *us, the whole rule again.
        ...us,
      ],
      findings: [],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 10.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 11.");
    assert.equal(
      verdict(out, "52.1.37.96", 9443),
      `52.1.37.96 → TCP 9443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
    assertWins(text, "k8s");
  });

  // kubectl refuses a document with an alias of no anchor before it in the same document, or inside the node it names
  // (go-yaml v2: "unknown anchor 'x' referenced", "anchor 'x' value contains itself"). Such an alias is a finding on
  // its line and allows nothing: read as missing, "ports: *https" allowed every port, "except: *none" nothing
  // excepted, "<<: *rule" a rule of every source, and loadBalancerSourceRanges every client.
  test("an alias of no anchor before it, or inside its own anchor, is a finding and allows nothing", () => {
    const out = parseK8s(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: fw
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from: *freshworks
    - from: &freshworks
        - ipBlock: {cidr: 52.1.37.96/32}
      ports: *https
    - <<: *rule
      ports: [{port: 443}]
    - &self
      from:
        - ipBlock: {cidr: 52.1.32.88/32}
        - *self
    - from:
        - ipBlock: {cidr: 18.208.240.77/32, except: *none}
        - ipBlock: {cidr: 52.201.75.8/32}
---
apiVersion: v1
kind: Service
metadata:
  name: webhooks
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: *freshworks
`);
    const unknown = (line: number, name: string): [number, string, string] => [
      line,
      "invalid",
      `Alias *${name} names no anchor &${name} before it in this document: kubectl refuses the document ("unknown anchor '${name}' referenced"). Read as allowing nothing.`,
    ];
    assert.deepEqual(pathRows(out), {
      entries: [
        [17, "52.1.32.88", "cidr", "allow", "in", "", "", "", 16, "52.1.32.88/32", "fw", 1, ""],
        [21, "52.201.75.8", "cidr", "allow", "in", "", "", "", 19, "52.201.75.8/32", "fw", 1, ""],
      ],
      findings: [
        unknown(9, "freshworks"),
        unknown(12, "https"),
        unknown(13, "rule"),
        [
          18,
          "invalid",
          `Alias *self is inside the node anchored &self, which would contain itself: kubectl refuses the document ("anchor 'self' value contains itself"). Read as allowing nothing.`,
        ],
        unknown(20, "none"),
        // An anchor holds within its document only.
        unknown(29, "freshworks"),
      ],
      notes: [],
    });
    assert.equal(
      verdict(out, "52.1.32.88"),
      "52.1.32.88 → TCP 443: blocked — no rule of Service webhooks (loadBalancerSourceRanges) (line 23) matches, and its default is deny.",
    );
  });

  // A merge key "<<" adds the pairs of the mapping it names, or of each mapping of a list
  // (https://yaml.org/type/merge.html). kubectl reads YAML with go-yaml v2 (sigs.k8s.io/yaml), which sets pairs in
  // the order written and a merge's pairs at its "<<", a list's last mapping first: a key after "<<" overrides the
  // merged one, and a merged one overrides a key before "<<" (a note: the merge type keeps that one). "<<" was an
  // ordinary key: "<<: *base" with ports read as a rule without "from", allowing every source.
  test("merge keys add the keys of the mapping they name, in kubectl's order", () => {
    const out = parseK8s(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: fw
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - &base
      from:
        - ipBlock: {cidr: 52.1.37.96/32}
      ports: [{port: 8080}]
    - <<: *base
      ports: [{port: 443}]
    - ports: [{port: 443}]
      <<: *base
    - <<: [{from: [ipBlock: {cidr: 52.1.32.88/32}]}, *base]
    - <<: [*base, [*base]]
      ports: [{port: 443}]
`);
    assert.deepEqual(pathRows(out), {
      entries: [
        [11, "52.1.37.96", "cidr", "allow", "in", "tcp", "8080", "", 10, "52.1.37.96/32", "fw", 0, ""],
        [11, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "", 13, "52.1.37.96/32", "fw", 0, ""],
        [11, "52.1.37.96", "cidr", "allow", "in", "tcp", "8080", "", 15, "52.1.37.96/32", "fw", 0, ""],
        // The list's first mapping gives "from", *base the ports it lacks (the rule's line is the cidr's).
        [17, "52.1.32.88", "cidr", "allow", "in", "tcp", "8080", "", 0, "52.1.32.88/32", "fw", 0, ""],
      ],
      findings: [
        [
          15,
          "note",
          '"ports" is written before the merge key "<<" on line 16, which sets it again: kubectl (go-yaml v2) takes the merged value, and so does this reader; the YAML merge type (https://yaml.org/type/merge.html) keeps the value written here. Write "<<" first to mean the same to both.',
        ],
        [
          18,
          "invalid",
          'The merge key "<<" takes a mapping, an alias of one, or a list of them (https://yaml.org/type/merge.html): kubectl refuses this document ("map merge requires map or sequence of maps as the value"). The mapping is read as allowing nothing.',
        ],
      ],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 11.");
    assert.equal(
      verdict(out, "52.1.32.88"),
      `52.1.32.88 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
  });

  // A few lines of anchors of lists of aliases ("billion laughs") stand for billions of nodes, and a large rule
  // aliased on every line of a paste for billions of entries. The aliases of a paste expand to at most MAX_EXPANSION
  // (1,000,000) nodes; the alias past it is a finding on its line, and no alias after it is expanded. The timeout is
  // a hang guard: both take well under a second.
  test(
    "an alias bomb is bounded: the alias past 1,000,000 expanded nodes is a finding on its line",
    { timeout: 20_000 },
    () => {
      // Nodes: a0 is 2 (the list, its item), a1 1 + 9 × 2 = 19, a2 172, a3 1,549, a4 13,942, a5 125,479. Defining a1 …
      // a5 expands 141,156 nodes; in a6 six *a5 more make 894,030, and the seventh would pass 1,000,000.
      const lols = Array.from(
        { length: 9 },
        (_, i) => `  a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(", ")}]`,
      );
      const bomb = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: lol
peers: &peers [ipBlock: {cidr: 52.1.32.88/32}]
lol:
  a0: &a0 [lol]
${lols.join("\n")}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from: [ipBlock: {cidr: 52.1.37.96/32}]
    - from: *peers
`;
      const out = parseK8s(bomb);
      assert.deepEqual(pathRows(out), {
        entries: [[21, "52.1.37.96", "cidr", "allow", "in", "", "", "", 0, "52.1.37.96/32", "lol", 0, ""]],
        findings: [
          [
            13,
            "not-understood",
            "Alias *a5 is not expanded: with it the aliases of this paste would expand to more than 1,000,000 nodes, the most this reader follows. It and every alias after it are read as allowing nothing.",
          ],
        ],
        notes: [],
      });
      // *peers, after it, is not expanded either.
      assert.equal(
        verdict(out, "52.1.32.88"),
        `52.1.32.88 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
      );

      // A rule of 2,000 peers is 10,003 nodes (each peer two mappings, two keys and a value; the rule, "from", the
      // list): 99 aliases of it expand 990,297 nodes, the 100th would pass 1,000,000. So 100 rules are read, not 2,001.
      const peers = Array.from({ length: 2000 }, (_, i) => `        - ipBlock: {cidr: 10.${i >> 8}.${i & 255}.0/24}`);
      const wide = parseK8s(`kind: NetworkPolicy
metadata:
  name: wide
spec:
  podSelector: {}
  ingress:
    - &rule
      from:
${peers.join("\n")}
${"    - *rule\n".repeat(2000)}`);
      assert.equal(wide.entries.length, 100 * 2000);
      assert.deepEqual(
        wide.findings.map((f) => [f.line, f.kind]),
        [[2008 + 100, "not-understood"]],
      );
    },
  );

  // An ingress rule and a port entry are objects (NetworkPolicyIngressRule, NetworkPolicyPort:
  // https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/): the API server cannot
  // decode a list or a single value there and rejects the policy. Read as missing, an alias of the wrong node ("- *peers"
  // where a rule goes) was an empty rule, allowing every source and port, and "ports: [443]" or "ports: [*https]" a
  // port entry without a port, allowing every TCP port.
  test("a rule or a port entry that is a list or a single value is invalid and allows nothing", () => {
    const out = parseK8s(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: fw
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from: &peers
        - ipBlock: {cidr: 52.1.37.96/32}
      ports: [{port: &https 8443}]
    - *peers
    - from: [ipBlock: {cidr: 52.1.32.88/32}]
      ports: [*https]
    - from: [ipBlock: {cidr: 18.208.240.77/32}]
      ports:
        - 443
        - port: 8443
`);
    assert.deepEqual(pathRows(out), {
      entries: [
        [10, "52.1.37.96", "cidr", "allow", "in", "tcp", "8443", "", 9, "52.1.37.96/32", "fw", 0, ""],
        [15, "18.208.240.77", "cidr", "allow", "in", "tcp", "8443", "", 0, "18.208.240.77/32", "fw", 0, ""],
      ],
      findings: [
        [
          10,
          "invalid",
          "An ingress rule (NetworkPolicyIngressRule) must be a mapping, not a list: the API server rejects this policy, so it allows nothing.",
        ],
        [
          11,
          "invalid",
          "A port entry (NetworkPolicyPort) must be a mapping, not a single value: the API server rejects this policy, so it allows nothing.",
        ],
        [
          17,
          "invalid",
          "A port entry (NetworkPolicyPort) must be a mapping, not a single value: the API server rejects this policy, so it allows nothing.",
        ],
      ],
      notes: [],
    });
    for (const a of ["52.1.37.96", "52.1.32.88", "18.208.240.77"])
      assert.equal(verdict(out, a), `${a} → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`);
    // Cilium's toPorts entries (PortRule) and their ports (PortProtocol) too: read as missing, they were every port.
    const cilium = parseK8s(
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: c\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromCIDR: [52.1.37.96/32]\n      toPorts: ["443"]\n    - fromCIDR: [52.1.32.88/32]\n      toPorts:\n        - ports: ["443"]\n',
    );
    assert.deepEqual(pathRows(cilium), {
      entries: [],
      findings: [
        [
          9,
          "invalid",
          "A toPorts entry (PortRule) must be a mapping, not a single value: the API server rejects this policy, so it allows nothing.",
        ],
        [
          12,
          "invalid",
          "A port entry (PortProtocol) must be a mapping, not a single value: the API server rejects this policy, so it allows nothing.",
        ],
      ],
      notes: [],
    });
  });
});

// "An empty podSelector matches all pods in this namespace" (NetworkPolicySpec, networking.k8s.io/v1,
// https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/): a policy in namespace default
// never selects the pods a default deny in namespace web isolates.
describe("k8s: policies of another namespace select other pods", () => {
  const WEB_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: web
spec:
  podSelector: {}
  policyTypes:
    - Ingress
`;
  const OPEN = (namespace: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-all
  namespace: ${namespace}
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: 443
`;
  const EGRESS_ONLY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress
  namespace: default
spec:
  podSelector: {}
  policyTypes:
    - Egress
`;

  test("an allow-all policy in namespace default does not open namespace web (a delta merged in the wrong namespace)", () => {
    const out = parseK8s(`${WEB_DENY}${OPEN("default")}`);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.line, c.fallthrough, c.onPath, c.reason]),
      [
        [NP, 0, "deny", true, "a policy isolates the pods for ingress: only what some policy allows gets in"],
        [
          "NetworkPolicies of namespace default",
          11,
          "allow",
          false,
          "a NetworkPolicy selects pods of its own namespace only; the service's pods are read as in namespace web",
        ],
      ],
    );
    assert.deepEqual(out.path?.contexts[0]?.list, {
      kind: "k8s-namespace",
      name: "web",
      boundOn: "namespace web",
      rules: [],
    });
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.action, e.context]),
      [
        [19, "allow", 1],
        [19, "allow", 1],
      ],
    );
    assert.equal(
      out.path?.assumption?.endsWith(
        "The service's pods are read as in namespace web (the first of 2 whose policies isolate pods for ingress); the policies of namespace default select other pods. Override with --ingress <namespace>.",
      ),
      true,
    );
    assert.equal(
      verdict(out, "52.1.37.96"),
      `52.1.37.96 → TCP 443: blocked — no rule of ${NP} matches, and its default is deny.`,
    );
  });

  test("the namespace whose policies isolate ingress is the service's", () => {
    const out = parseK8s(`${EGRESS_ONLY}---\n${WEB_DENY}`);
    assert.equal(
      out.path?.assumption?.endsWith(
        "The service's pods are read as in namespace web (the one whose policies isolate pods for ingress); the policies of namespace default select other pods. Override with --ingress <namespace>.",
      ),
      true,
    );
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.fallthrough, c.onPath]),
      [
        [NP, "deny", true],
        ["NetworkPolicies of namespace default", "allow", false],
      ],
    );
  });

  test("--ingress names the namespace; the same policy in namespace web allows", () => {
    const out = parseK8s(`${WEB_DENY}${OPEN("default")}`, { ingress: "default" });
    assert.equal(out.path?.assumption?.endsWith("The service's pods are in namespace default (--ingress)."), true);
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        [NP, true],
        ["NetworkPolicies of namespace web", false],
      ],
    );
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 19.");
    assert.equal(
      verdict(parseK8s(`${WEB_DENY}${OPEN("web")}`), "52.1.37.96"),
      "52.1.37.96 → TCP 443: allowed by line 19.",
    );
  });
});
