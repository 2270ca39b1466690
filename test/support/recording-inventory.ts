/** An inventory that notes every kind (and the workload and namespace views) a rule asks of it. */
import { Inventory, type NamespaceTarget } from '../../src/core/inventory.js';
import type { KubeResource } from '../../src/core/resource.js';
import type { Workload } from '../../src/core/workload.js';

export class RecordingInventory extends Inventory {
  readonly asked = new Set<string>();
  override ofKind(kind: string): readonly KubeResource[] {
    this.asked.add(kind);
    return super.ofKind(kind);
  }
  override get workloads(): readonly Workload[] {
    this.asked.add('workload');
    return super.workloads;
  }
  override get namespaces(): readonly NamespaceTarget[] {
    this.asked.add('namespace');
    return super.namespaces;
  }
}
