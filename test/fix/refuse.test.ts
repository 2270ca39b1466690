import { describe, expect, it } from 'vitest';
import { kustomizePatchFiles, refusalOf } from '../../src/fix/refuse.js';

describe('files eksguard fix does not edit', () => {
  it('refuses Helm templates and strategic-merge patches, and nothing else', () => {
    expect(refusalOf('image: {{ .Values.image }}\n')).toMatch(/^a Helm template/);
    expect(refusalOf('image: "{{- include "x" . }}"\n')).toMatch(/^a Helm template/);
    expect(refusalOf('spec:\n  containers:\n  - name: x\n    $patch: delete\n')).toMatch(/^a Kustomize strategic-merge patch/);
    expect(refusalOf('data:\n  braces: "{ not a template }"\n  json: \'{"a": {"b": 1}}\'\n')).toBeUndefined();
  });

  it('reads the patch files a kustomization names, in every form', () => {
    const kustomization = [
      'resources: [../base]',
      'patchesStrategicMerge:',
      '  - sm.yaml',
      '  - |-',
      '    apiVersion: v1',
      '    kind: Pod',
      'patches:',
      '  - path: p.yaml',
      '    target: {kind: Deployment}',
      '  - patch: |-',
      '      - op: remove',
      'patchesJson6902:',
      '  - path: j.yaml',
    ].join('\n');
    expect(kustomizePatchFiles(kustomization)).toEqual(['sm.yaml', 'p.yaml', 'j.yaml']);
    expect(kustomizePatchFiles(': not yaml: [')).toEqual([]);
  });
});
