import jsYaml, { type Type } from 'js-yaml';

/**
 * YAML as Kubernetes reads it. kubectl and the API server decode YAML with a YAML 1.1 parser
 * (sigs.k8s.io/yaml, a go-yaml v2 fork) and convert it to JSON, so `privileged: yes` is `true` and
 * `on`/`off`/`y`/`n` are booleans too, while timestamps stay strings. js-yaml speaks YAML 1.2, so
 * we give it 1.1 booleans (a security scanner must read `privileged: yes` as Kubernetes does),
 * merge keys, and no timestamp or binary types.
 */
const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

const yaml11Boolean = new jsYaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && BOOLEAN.test(data),
  construct: (data: string) => TRUE.test(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: { lowercase: (value: object) => (value ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

// js-yaml exports its merge-key type at run time; @types/js-yaml does not declare it.
const { merge } = (jsYaml as unknown as { types: { merge: Type } }).types;

export const KUBE_YAML_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [yaml11Boolean, merge] });
