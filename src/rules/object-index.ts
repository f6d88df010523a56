import type { Manifest } from '../load/yaml.js';
import { pushTo } from '../model/collections.js';
import { isWorkload } from '../model/workload.js';

/** Everything loaded in one run, indexed for the cross-object (namespace-aware) rules. */
export class ObjectIndex {
  readonly byKind = new Map<string, Manifest[]>();
  readonly workloads: Manifest[] = [];
  /** kind -> namespace -> objects, built per kind on first use so that `inNamespace` stays O(1). */
  private readonly byKindNamespace = new Map<string, Map<string, Manifest[]>>();

  constructor(
    readonly manifests: readonly Manifest[],
    readonly defaultNamespace: string,
  ) {
    for (const m of manifests) {
      pushTo(this.byKind, m.object.kind, m);
      if (isWorkload(m.object)) this.workloads.push(m);
    }
  }

  /** The namespace an object lives in (its own, or the default for namespaced objects without one). */
  namespaceOf(m: Manifest): string {
    return m.object.metadata.namespace ?? this.defaultNamespace;
  }

  kind(kind: string): readonly Manifest[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Objects of a kind in a namespace. */
  inNamespace(kind: string, namespace: string): Manifest[] {
    let byNs = this.byKindNamespace.get(kind);
    if (!byNs) {
      byNs = new Map();
      for (const m of this.kind(kind)) pushTo(byNs, this.namespaceOf(m), m);
      this.byKindNamespace.set(kind, byNs);
    }
    return [...(byNs.get(namespace) ?? [])];
  }

  /** Namespaces that run workloads, each with its workloads, in first-seen order. */
  workloadNamespaces(): Map<string, Manifest[]> {
    const out = new Map<string, Manifest[]>();
    for (const w of this.workloads) {
      pushTo(out, this.namespaceOf(w), w);
    }
    return out;
  }
}
