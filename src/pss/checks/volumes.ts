/** Volume checks: hostPathVolumes (baseline) and restrictedVolumes (restricted). */
import type { FieldPath } from '../../core/finding.js';
import { RESTRICTED_VOLUME_SOURCES } from '../../core/pod-security-standards.js';
import { plural, joinQuote, sortedUnique, type CheckFn, type PssCheck } from '../check-types.js';
import { asArray, asRecord, isSet, type JsonRecord, type PodView } from '../pod-view.js';

/**
 * The sources PSA names when it refuses a volume, in the order it tests them. Keys the API does
 * not know are dropped when it decodes the pod, so they are no source at all.
 */
const NAMED_RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
] as const;

interface VolumeEntry {
  readonly name: string;
  readonly volume: JsonRecord;
  readonly path: FieldPath;
}

function volumesOf(pod: PodView): VolumeEntry[] {
  const out: VolumeEntry[] = [];
  asArray(pod.spec.volumes).forEach((item, index) => {
    const volume = asRecord(item);
    if (volume === undefined) return;
    out.push({ name: typeof volume.name === 'string' ? volume.name : '', volume, path: ['spec', 'volumes', index] });
  });
  return out;
}

const hostPathVolumes: CheckFn = (pod) => {
  const bad = volumesOf(pod).filter(({ volume }) => isSet(volume.hostPath));
  if (bad.length === 0) return undefined;
  return {
    reason: 'hostPath volumes',
    detail: `${plural('volume', 'volumes', bad.length)} ${joinQuote(bad.map((v) => v.name))}`,
    paths: bad.map((v) => [...v.path, 'hostPath']),
  };
};

/**
 * A volume passes when any allowed source is set. One with no source at all passes too: the API
 * server defaults it to emptyDir before admission runs (PSA alone would call it "unknown").
 */
const restrictedVolumes: CheckFn = (pod) => {
  const badNames: string[] = [];
  const badTypes: string[] = [];
  const paths: FieldPath[] = [];
  for (const { name, volume, path } of volumesOf(pod)) {
    if ([...RESTRICTED_VOLUME_SOURCES].some((source) => isSet(volume[source]))) continue;
    const type = NAMED_RESTRICTED_SOURCES.find((source) => isSet(volume[source]));
    if (type === undefined) continue;
    badNames.push(name);
    badTypes.push(type);
    paths.push([...path, type]);
  }
  if (badNames.length === 0) return undefined;
  const types = sortedUnique(badTypes);
  return {
    reason: 'restricted volume types',
    detail: `${plural('volume', 'volumes', badNames.length)} ${joinQuote(badNames)} ${plural('uses', 'use', badNames.length)} ${plural('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
    paths,
  };
};

export const volumeChecks: readonly PssCheck[] = [
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: 0, check: hostPathVolumes }] },
  { id: 'restrictedVolumes', level: 'restricted', overrides: ['hostPathVolumes'], versions: [{ since: 0, check: restrictedVolumes }] },
];
