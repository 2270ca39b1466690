import { describe, expect, it } from 'vitest';
import { emptyAwsEvidence, type AwsCall, type AwsEvidence } from '../../src/core/aws/model.js';
import type { AuditorError } from '../../src/core/errors.js';
import { redactSecret } from '../../src/core/redact.js';
import { refOf, type KubeObject, type KubeResource } from '../../src/core/resource.js';
import { parseSnapshot } from '../../src/snapshot/read.js';
import { serializeSnapshot, toSnapshot } from '../../src/snapshot/write.js';

const secret: KubeObject = {
  apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
  metadata: { name: 'db', namespace: 'a', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"hunter2"}}', owner: 'team-a' } },
  data: { password: 'aHVudGVyMg==' },
  stringData: { other: 'hunter2' },
};
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

function resource(object: KubeObject, origin: KubeResource['origin']): KubeResource {
  return { ref: refOf(object), object, origin };
}

describe('redactSecret', () => {
  it('keeps metadata and type, drops data, stringData and the last-applied copy', () => {
    expect(redactSecret(secret)).toEqual({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'db', namespace: 'a', annotations: { owner: 'team-a' } } });
    expect(secret.data).toBeDefined(); // not mutated
  });

  it('leaves other objects, and Secret-named kinds of other groups, alone', () => {
    expect(redactSecret(pod)).toBe(pod);
    const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'b' } };
    expect(redactSecret(sealed)).toBe(sealed);
  });

  it('tolerates malformed annotations', () => {
    const odd = { ...secret, metadata: { name: 'db', annotations: 'nonsense' as unknown as Record<string, string> } };
    expect(redactSecret(odd).metadata).toEqual({ name: 'db', annotations: {} });
  });
});

describe('snapshot format', () => {
  const empty = emptyAwsEvidence();
  const aws = { ...empty, collected: new Set<AwsCall>(['eks:DescribeCluster']), eks: { ...empty.eks, clusters: [{ data: { name: 'prod' }, source: 'aws:us-east-1' }] } } as unknown as AwsEvidence;
  const document = toSnapshot({
    objects: [
      resource(secret, { type: 'file', file: 'dump.yaml', line: 3, locate: () => ({ line: 9, column: 2 }) }),
      resource(pod, { type: 'cluster', context: 'prod' }),
    ],
    gaps: [{ source: 'cluster:prod', code: 'KUBE_FORBIDDEN', message: 'cannot list roles' }],
    sources: [{ path: 'dump.yaml', objects: 1, documents: 1 }],
    evidence: ['manifests', 'cluster', 'cluster'],
    aws,
    toolVersion: '9.9.9',
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  it('saves objects with their origins, no functions, and Secrets redacted', () => {
    expect(document.objects).toEqual([
      { origin: { type: 'file', file: 'dump.yaml', line: 3 }, object: redactSecret(secret) },
      { origin: { type: 'cluster', context: 'prod' }, object: pod },
    ]);
    expect(document.evidence).toEqual(['cluster', 'manifests']);
    expect(document.aws?.collected).toEqual(['eks:DescribeCluster']);
  });

  it('round-trips through its text', () => {
    const text = serializeSnapshot(document);
    expect(text).not.toContain('hunter2');
    expect(text.split('\n').length).toBe(5); // header line, one line per object, the end
    const read = parseSnapshot(text, 's.json');
    expect(read.resources.map((r) => [r.ref, r.origin])).toEqual([
      [refOf(secret), { type: 'file', file: 'dump.yaml', line: 3 }],
      [refOf(pod), { type: 'cluster', context: 'prod' }],
    ]);
    expect(read.gaps).toEqual(document.gaps);
    expect(read.evidence).toEqual(['cluster', 'manifests']);
    expect(read.aws?.collected).toEqual(new Set(['eks:DescribeCluster']));
    expect(read.aws?.eks.clusters).toEqual([{ data: { name: 'prod' }, source: 'aws:us-east-1' }]);
  });

  it('redacts a hand-written snapshot when reading it', () => {
    const text = serializeSnapshot({ ...document, objects: [{ origin: { type: 'cluster', context: 'prod' }, object: secret }] });
    expect(JSON.stringify(parseSnapshot(text, 's.json').resources)).not.toContain('hunter2');
  });

  it('writes an empty snapshot that reads back', () => {
    const empty = serializeSnapshot({ ...document, objects: [] });
    expect(parseSnapshot(empty, 'e.json').resources).toEqual([]);
  });

  it('refuses other documents with a one-line error and a hint', () => {
    const error = (text: string) => {
      try {
        parseSnapshot(text, 'x.json');
      } catch (e) {
        return e as AuditorError;
      }
      throw new Error('accepted');
    };
    expect(error('[]').message).toBe('x.json: not an eksguard snapshot (no kind; expected EksguardSnapshot)');
    expect(error('{"kind":"EksguardSnapshot","version":2}').message).toBe('x.json: snapshot format version 2 is newer than this eksguard reads (1)');
    const wrongOrigin = JSON.parse(serializeSnapshot(document)) as { objects: { origin: unknown }[] };
    (wrongOrigin.objects[0] as { origin: unknown }).origin = { type: 'aws', source: 'x' };
    expect(error('{"kind":"EksguardSnapshot","version":1,"objects":{}}').message).toMatch(/^x\.json: invalid snapshot at \//);
    // A bad part is a gap naming it; the rest is used.
    const read = parseSnapshot(JSON.stringify(wrongOrigin), 'x.json');
    expect(read.resources.map((r) => r.ref.name)).toEqual(['web']);
    expect(read.gaps.at(-1)).toMatchObject({ source: 'x.json', code: 'UNREADABLE' });
    expect(read.gaps.at(-1)?.message).toMatch(/^snapshot part \/objects\/0 is not valid \(at \/origin/);
    expect(error('{"kind":"EksguardSnapshot","version":1}').code).toBe('ERR_SNAPSHOT_INVALID');
  });
});
