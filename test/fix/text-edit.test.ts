import { describe, expect, it } from 'vitest';
import type { PatchOp } from '../../src/core/finding.js';
import { applyOpToText } from '../../src/fix/edit-document.js';
import { EditError } from '../../src/fix/text-edit.js';

const edit = (text: string, op: PatchOp, options: { json?: boolean; document?: number; itemPath?: (string | number)[] } = {}): string =>
  applyOpToText(text, options.json === true, { document: options.document ?? 0, ...(options.itemPath ? { itemPath: options.itemPath } : {}) }, op);

const container = ['spec', 'containers', 0];

describe('YAML block mappings', () => {
  const pod = [
    '# head comment',
    'apiVersion: v1   # line comment',
    'kind: Pod',
    'spec:',
    '  # head of containers',
    '  containers:',
    '  - name: app  # the app',
    '    image: nginx:1.27',
    '    ports:',
    '    - containerPort: 80',
    '    env:',
    '    - name: A',
    '      value: "1"',
    '    # foot of the container',
    '',
    '  # foot of spec',
    '# foot of the document',
    '',
  ].join('\n');

  it('puts a new securityContext after image and ports, before env, in the file\'s style', () => {
    expect(edit(pod, { op: 'add', path: [...container, 'securityContext'], value: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }))
      .toBe(pod.replace('    env:\n', '    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop:\n        - ALL\n    env:\n'));
  });

  it('creates the missing parents of a deep add in one new block', () => {
    expect(edit(pod, { op: 'add', path: [...container, 'resources', 'limits', 'memory'], value: '128Mi' }))
      .toBe(pod.replace('    # foot of the container\n', '    resources:\n      limits:\n        memory: 128Mi\n    # foot of the container\n'));
  });

  it('puts a new pod-spec field above the container list and its head comment', () => {
    expect(edit(pod, { op: 'add', path: ['spec', 'securityContext', 'seccompProfile'], value: { type: 'RuntimeDefault' } }))
      .toBe(pod.replace('  # head of containers\n', '  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  # head of containers\n'));
  });

  it('replaces a scalar and keeps its line comment and quoting', () => {
    const text = 'a:\n  b: "x"   # keep\n  c: true # keep too\n';
    expect(edit(text, { op: 'replace', path: ['a', 'b'], value: 'y' })).toBe('a:\n  b: "y"   # keep\n  c: true # keep too\n');
    expect(edit(text, { op: 'replace', path: ['a', 'c'], value: false })).toBe('a:\n  b: "x"   # keep\n  c: false # keep too\n');
  });

  it('removes a pair with its line, keeping the comment above it', () => {
    const text = 'spec:\n  # why we share the PID namespace\n  hostPID: true\n  containers: []\n';
    expect(edit(text, { op: 'remove', path: ['spec', 'hostPID'] })).toBe('spec:\n  # why we share the PID namespace\n  containers: []\n');
  });

  it('turns a mapping that loses its last pair into {}', () => {
    const text = 'sc:\n  privileged: true # no\nnext: 1\n';
    expect(edit(text, { op: 'remove', path: ['sc', 'privileged'] })).toBe('sc: {} # no\nnext: 1\n');
  });

  it('removes the first pair of a list item without its dash', () => {
    expect(edit('l:\n- a: 1\n  b: 2\n', { op: 'remove', path: ['l', 0, 'a'] })).toBe('l:\n- b: 2\n');
  });

  it('writes into an empty value and into {}', () => {
    expect(edit('sc:\nx: 1\n', { op: 'add', path: ['sc', 'runAsNonRoot'], value: true })).toBe('sc:\n  runAsNonRoot: true\nx: 1\n');
    expect(edit('sc: {}\nx: 1\n', { op: 'add', path: ['sc', 'runAsNonRoot'], value: true })).toBe('sc:\n  runAsNonRoot: true\nx: 1\n');
  });

  it('replaces a mapping pair by pair, keeping the comments of what stays', () => {
    const text = 'p:\n  # the type\n  type: Unconfined # bad\n  localhostProfile: x\n';
    expect(edit(text, { op: 'replace', path: ['p'], value: { type: 'RuntimeDefault' } })).toBe('p:\n  # the type\n  type: RuntimeDefault # bad\n');
  });

  it('appends to and inserts into block sequences, both indentation styles', () => {
    expect(edit('drop:\n- NET_RAW\nx: 1\n', { op: 'add', path: ['drop', '-'], value: 'ALL' })).toBe('drop:\n- NET_RAW\n- ALL\nx: 1\n');
    expect(edit('drop:\n  - NET_RAW # raw\nx: 1\n', { op: 'add', path: ['drop', '-'], value: 'ALL' })).toBe('drop:\n  - NET_RAW # raw\n  - ALL\nx: 1\n');
    expect(edit('l:\n  - a\n  # about b\n  - b\n', { op: 'add', path: ['l', 1], value: 'c' })).toBe('l:\n  - a\n  - c\n  # about b\n  - b\n');
    expect(edit('l:\n  - a\n  - b\n', { op: 'remove', path: ['l', 0] })).toBe('l:\n  - b\n');
    expect(edit('l:\n  - a\nx: 1\n', { op: 'remove', path: ['l', 0] })).toBe('l: []\nx: 1\n');
  });

  it('edits flow collections in place', () => {
    expect(edit('p: {a: 1}\n', { op: 'add', path: ['p', 'b'], value: 2 })).toBe('p: {a: 1, b: 2}\n');
    expect(edit('p: {a: 1, b: 2}\n', { op: 'remove', path: ['p', 'b'] })).toBe('p: {a: 1}\n');
    expect(edit('p: {a: 1, b: 2}\n', { op: 'remove', path: ['p', 'a'] })).toBe('p: {b: 2}\n');
    expect(edit('l: [a, b]\n', { op: 'add', path: ['l', '-'], value: 'c' })).toBe('l: [a, b, c]\n');
  });

  it('keeps CRLF line ends and a missing final line break', () => {
    expect(edit('a:\r\n  b: 1\r\n', { op: 'add', path: ['a', 'c'], value: { d: 2 } })).toBe('a:\r\n  b: 1\r\n  c:\r\n    d: 2\r\n');
    expect(edit('a:\n  b: 1', { op: 'add', path: ['a', 'c'], value: 2 })).toBe('a:\n  b: 1\n  c: 2');
  });

  it('edits the right document and List item and leaves the others byte for byte', () => {
    const text = 'a: 1\n---\n# two\nkind: List\nitems:\n- b: 1\n- b: 2\n---\nc: 3\n';
    expect(edit(text, { op: 'replace', path: ['b'], value: 9 }, { document: 1, itemPath: ['items', 1] })).toBe(text.replace('- b: 2', '- b: 9'));
  });

  it('refuses to edit through an alias', () => {
    expect(() => edit('base: &b {x: 1}\nuse: *b\n', { op: 'add', path: ['use', 'y'], value: 2 })).toThrow(EditError);
  });

  it('quotes a new string that would otherwise read as another type', () => {
    expect(edit('parameters:\n  type: gp3\n', { op: 'add', path: ['parameters', 'encrypted'], value: 'true' })).toBe('parameters:\n  type: gp3\n  encrypted: "true"\n');
  });
});

describe('JSON files', () => {
  const json = '{\n    "apiVersion": "v1",\n    "kind": "Pod",\n    "spec": {\n        "hostPID": true,\n        "containers": [\n            {\n                "name": "app"\n            }\n        ]\n    }\n}\n';

  it('adds a member with the file\'s indentation', () => {
    expect(edit(json, { op: 'add', path: [...container, 'securityContext'], value: { allowPrivilegeEscalation: false } }, { json: true }))
      .toBe(json.replace('"name": "app"\n', '"name": "app",\n                "securityContext": {\n                    "allowPrivilegeEscalation": false\n                }\n'));
  });

  it('removes a member and its comma', () => {
    expect(edit(json, { op: 'remove', path: ['spec', 'hostPID'] }, { json: true })).toBe(json.replace('        "hostPID": true,\n', ''));
  });

  it('writes compact JSON into a one-line object', () => {
    expect(edit('{"a": {"b": 1}}', { op: 'add', path: ['a', 'c'], value: [1] }, { json: true })).toBe('{"a": {"b": 1, "c": [1]}}');
  });
});
