import rule from '../../../src/rules/identity/no-shared-service-accounts.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, daemonSet, deployment, job, pod, replicaSet, serviceAccount, statefulSet } from '../../rule-tester.js';

type Json = Record<string, unknown>;

/** Adds a controller ownerReference (and pod labels) to a built object. */
function ownedBy(object: Json, kind: string, name: string, labels: Record<string, string> = {}): Json {
  const metadata = object.metadata as Json;
  return { ...object, metadata: { ...metadata, labels: { ...(metadata.labels as Json | undefined), ...labels }, ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: 'u', controller: true }] } };
}

const sa = (serviceAccountName: string) => ({ serviceAccountName });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec alone', manifests: [serviceAccount('app'), deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC })] },
    { name: 'two workloads, two ServiceAccounts', manifests: [deployment({ name: 'dont-fire', podSpec: sa('web') }), cronJob({ name: 'app', podSpec: sa('report') })] },
    { name: 'the default ServiceAccount is left to no-default-service-account', manifests: [deployment({ name: 'dont-fire' }), job({ name: 'app' })] },
    { name: 'same name in different namespaces', manifests: [deployment({ name: 'dont-fire', namespace: 'a', podSpec: sa('web') }), deployment({ name: 'dont-fire', namespace: 'b', podSpec: sa('web') })] },
    {
      name: 'a Deployment and its ReplicaSet and Pods are one workload',
      manifests: [
        deployment({ name: 'dont-fire', podSpec: sa('web') }),
        ownedBy(replicaSet({ name: 'dont-fire-5d8f7c9b4', podSpec: sa('web') }), 'Deployment', 'dont-fire'),
        ownedBy(pod({ name: 'dont-fire-5d8f7c9b4-abcde', podSpec: sa('web') }), 'ReplicaSet', 'dont-fire-5d8f7c9b4', { 'pod-template-hash': '5d8f7c9b4' }),
      ],
    },
    {
      name: 'a Deployment and Pods of two of its ReplicaSets, the ReplicaSets not scanned',
      manifests: [
        deployment({ name: 'dont-fire', podSpec: sa('web') }),
        ownedBy(pod({ name: 'dont-fire-5d8f7c9b4-abcde', podSpec: sa('web') }), 'ReplicaSet', 'dont-fire-5d8f7c9b4', { 'pod-template-hash': '5d8f7c9b4' }),
        ownedBy(pod({ name: 'dont-fire-7f6b5d4c3-fghij', podSpec: sa('web') }), 'ReplicaSet', 'dont-fire-7f6b5d4c3', { 'pod-template-hash': '7f6b5d4c3' }),
      ],
    },
    {
      name: 'replicas of a StatefulSet that is not scanned',
      manifests: [
        ownedBy(pod({ name: 'dont-fire-0', podSpec: sa('db') }), 'StatefulSet', 'dont-fire'),
        ownedBy(pod({ name: 'dont-fire-1', podSpec: sa('db') }), 'StatefulSet', 'dont-fire'),
      ],
    },
    {
      name: 'a CronJob, its Job, and the Pod of a Job that was not scanned',
      manifests: [
        cronJob({ name: 'dont-fire', podSpec: sa('report') }),
        ownedBy(job({ name: 'dont-fire-28934520', podSpec: sa('report') }), 'CronJob', 'dont-fire'),
        ownedBy(pod({ name: 'dont-fire-28934580-x7k2p', podSpec: sa('report') }), 'Job', 'dont-fire-28934580'),
      ],
    },
  ],
  invalid: [
    {
      name: 'a Deployment and a CronJob share one ServiceAccount',
      manifests: [serviceAccount('worker'), deployment({ name: 'api', podSpec: sa('worker') }), cronJob({ name: 'cleanup', podSpec: sa('worker') })],
      findings: [
        { messageId: 'sharedServiceAccount', path: '/spec/template/spec/serviceAccountName', data: { serviceAccount: 'worker', others: 'CronJob/cleanup', count: 1 }, resource: 'Deployment default/api' },
        { messageId: 'sharedServiceAccount', path: '/spec/jobTemplate/spec/template/spec/serviceAccountName', data: { serviceAccount: 'worker', others: 'Deployment/api', count: 1 }, resource: 'CronJob default/cleanup' },
      ],
      fixed: null,
    },
    {
      name: 'five workloads share one: the message names three and counts the rest',
      manifests: [
        deployment({ name: 'e', podSpec: sa('shared') }),
        statefulSet({ name: 'd', podSpec: sa('shared') }),
        daemonSet({ name: 'c', podSpec: sa('shared') }),
        job({ name: 'b', podSpec: sa('shared') }),
        pod({ name: 'a', podSpec: sa('shared') }),
      ],
      findings: [
        { messageId: 'sharedServiceAccount', path: '/spec/template/spec/serviceAccountName', data: { serviceAccount: 'shared', others: 'DaemonSet/c, Job/b, Pod/a and 1 more', count: 4 }, resource: 'Deployment default/e' },
        { messageId: 'sharedServiceAccount', path: '/spec/template/spec/serviceAccountName', data: { serviceAccount: 'shared', others: 'DaemonSet/c, Deployment/e, Job/b and 1 more', count: 4 }, resource: 'StatefulSet default/d' },
        { messageId: 'sharedServiceAccount', path: '/spec/template/spec/serviceAccountName', data: { serviceAccount: 'shared', others: 'Deployment/e, Job/b, Pod/a and 1 more', count: 4 }, resource: 'DaemonSet default/c' },
        { messageId: 'sharedServiceAccount', path: '/spec/template/spec/serviceAccountName', data: { serviceAccount: 'shared', others: 'DaemonSet/c, Deployment/e, Pod/a and 1 more', count: 4 }, resource: 'Job default/b' },
        { messageId: 'sharedServiceAccount', path: '/spec/serviceAccountName', data: { serviceAccount: 'shared', others: 'DaemonSet/c, Deployment/e, Job/b and 1 more', count: 4 }, resource: 'Pod default/a' },
      ],
    },
    {
      name: 'the deprecated serviceAccount field, and a bare Pod beside a Deployment',
      manifests: [
        deployment({ name: 'api', namespace: 'shop', podSpec: { serviceAccount: 'shop-sa' } }),
        pod({ name: 'debug', namespace: 'shop', podSpec: sa('shop-sa') }),
        deployment({ name: 'other', namespace: 'elsewhere', podSpec: sa('shop-sa') }),
      ],
      findings: [
        { messageId: 'sharedServiceAccount', path: '/spec/template/spec/serviceAccount', data: { serviceAccount: 'shop-sa', others: 'Pod/debug', count: 1 }, resource: 'Deployment shop/api' },
        { messageId: 'sharedServiceAccount', path: '/spec/serviceAccountName', data: { serviceAccount: 'shop-sa', others: 'Deployment/api', count: 1 }, resource: 'Pod shop/debug' },
      ],
    },
    {
      name: 'odd input: ownerReferences of the wrong shape do not crash',
      manifests: [
        { ...pod({ name: 'a', podSpec: sa('x') }), metadata: { name: 'a', namespace: 'default', ownerReferences: [{ kind: 7, name: 'x', controller: true }] } },
        { ...pod({ name: 'b', podSpec: sa('x') }), metadata: { name: 'b', namespace: 'default', ownerReferences: [null, { kind: 'ReplicaSet', controller: true }] } },
      ],
      findings: [
        { messageId: 'sharedServiceAccount', path: '/spec/serviceAccountName', data: { serviceAccount: 'x', others: 'Pod/b', count: 1 }, resource: 'Pod default/a' },
        { messageId: 'sharedServiceAccount', path: '/spec/serviceAccountName', data: { serviceAccount: 'x', others: 'Pod/a', count: 1 }, resource: 'Pod default/b' },
      ],
    },
  ],
});
