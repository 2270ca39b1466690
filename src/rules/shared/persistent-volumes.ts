/** The AWS storage behind PersistentVolumes and StorageClasses: EBS volume ids and EFS file systems, as the CSI drivers and in-tree plugins name them. Pure. */
import type { KubeResource } from '../../core/resource.js';
import type { Inventory } from '../../core/inventory.js';
import { apiGroupOf } from '../../core/workload.js';
import type { FieldPath } from '../../core/finding.js';
import { isRecord } from './namespaces.js';

export const EBS_CSI_DRIVER = 'ebs.csi.aws.com';
export const EFS_CSI_DRIVER = 'efs.csi.aws.com';

/** `vol-0abc`, `aws://eu-west-1a/vol-0abc` (in-tree) → `vol-0abc`. */
function volumeIdOf(handle: string): string | undefined {
  const id = handle.slice(handle.lastIndexOf('/') + 1);
  return /^vol-[0-9a-zA-Z]+$/.test(id) ? id : undefined;
}

/** The EBS volume a PersistentVolume mounts, and the field naming it. */
export function ebsVolumeOf(pv: KubeResource): { readonly volumeId: string; readonly path: FieldPath } | undefined {
  if (apiGroupOf(pv.object.apiVersion) !== '' || !isRecord(pv.object.spec)) return undefined;
  const spec = pv.object.spec;
  if (isRecord(spec.csi) && spec.csi.driver === EBS_CSI_DRIVER && typeof spec.csi.volumeHandle === 'string') {
    const volumeId = volumeIdOf(spec.csi.volumeHandle);
    return volumeId === undefined ? undefined : { volumeId, path: ['spec', 'csi', 'volumeHandle'] };
  }
  if (isRecord(spec.awsElasticBlockStore) && typeof spec.awsElasticBlockStore.volumeID === 'string') {
    const volumeId = volumeIdOf(spec.awsElasticBlockStore.volumeID);
    return volumeId === undefined ? undefined : { volumeId, path: ['spec', 'awsElasticBlockStore', 'volumeID'] };
  }
  return undefined;
}

/** An EFS CSI volume handle, `fs-ID[:SUBPATH[:fsap-ID]]`. */
export interface EfsHandle {
  readonly fileSystemId: string;
  readonly accessPointId?: string;
  readonly path: FieldPath;
}

export function efsVolumeOf(pv: KubeResource): EfsHandle | undefined {
  if (apiGroupOf(pv.object.apiVersion) !== '' || !isRecord(pv.object.spec)) return undefined;
  const csi = pv.object.spec.csi;
  if (!isRecord(csi) || csi.driver !== EFS_CSI_DRIVER || typeof csi.volumeHandle !== 'string') return undefined;
  const [fileSystemId = '', , accessPointId] = csi.volumeHandle.split(':');
  if (!/^fs-[0-9a-zA-Z]+$/.test(fileSystemId)) return undefined;
  return { fileSystemId, ...(accessPointId !== undefined && accessPointId !== '' ? { accessPointId } : {}), path: ['spec', 'csi', 'volumeHandle'] };
}

/** The EFS file system an EFS CSI StorageClass provisions access points on. */
export function efsStorageClassFileSystem(storageClass: KubeResource): string | undefined {
  const object = storageClass.object;
  if (apiGroupOf(object.apiVersion) !== 'storage.k8s.io' || object.provisioner !== EFS_CSI_DRIVER || !isRecord(object.parameters)) return undefined;
  const id = object.parameters.fileSystemId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The EFS file systems the Kubernetes input uses (PersistentVolumes and StorageClasses), or
 * undefined when the input holds none of either kind: then every file system of the evidence is judged.
 */
export function efsFileSystemsInUse(inventory: Inventory): ReadonlySet<string> | undefined {
  const ids = new Set<string>();
  for (const pv of inventory.ofKind('PersistentVolume')) {
    const handle = efsVolumeOf(pv);
    if (handle !== undefined) ids.add(handle.fileSystemId);
  }
  for (const sc of inventory.ofKind('StorageClass')) {
    const id = efsStorageClassFileSystem(sc);
    if (id !== undefined) ids.add(id);
  }
  return ids.size > 0 ? ids : undefined;
}
