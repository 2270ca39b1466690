import { Readable } from 'node:stream';
import { scanManifests, type ScanResult } from '../../src/scan.js';

/**
 * Standard input for the report tests: one object exempted by annotation, one with a finding,
 * and a broken document (a gap). Leading lines shift every line, so `shift` tests line-free fingerprints.
 */
export function stdinManifests(shift = 0): string {
  return `${'# padding\n'.repeat(shift)}apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: lab
  annotations:
    ignore-check.eksguard.io/no-host-namespaces: "node debugging pod <temporary> & deleted after use"
spec:
  hostPID: true
  containers:
    - name: debug
      image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: tuner
  namespace: lab
spec:
  hostIPC: true
  containers:
    - name: tune
      image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: [oops
`;
}

/** `examples/` plus the stdin above, with the `logging` namespace excluded (config exemptions). */
export async function scanExamples(options: { shift?: number; recordChecks?: boolean } = {}): Promise<ScanResult> {
  return scanManifests({
    paths: ['examples', '-'],
    stdin: Readable.from([Buffer.from(stdinManifests(options.shift ?? 0))]),
    excludeNamespaces: ['logging'],
    recordChecks: options.recordChecks === true,
  });
}
