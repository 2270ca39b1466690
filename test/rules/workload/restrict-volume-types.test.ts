import rule from '../../../src/rules/workload/restrict-volume-types.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, deployment, pod, statefulSet } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    {
      name: 'every allowed volume type',
      manifests: statefulSet({ name: 'dont-fire', podSpec: { volumes: [
        { name: 'config', configMap: { name: 'app' } },
        { name: 'creds', secret: { secretName: 'app' } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        { name: 'info', downwardAPI: { items: [] } },
        { name: 'tmp', emptyDir: {} },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'store', csi: { driver: 'secrets-store.csi.k8s.io' } },
        { name: 'model', image: { reference: 'registry.example.com/model:1' } },
      ] } }),
    },
    { name: 'a volume with no source is defaulted to emptyDir', manifests: pod({ name: 'dont-fire', podSpec: { volumes: [{ name: 'tmp' }] } }) },
    { name: 'empty and odd volume lists', manifests: cronJob({ name: 'dont-fire', podSpec: { volumes: [null, 'tmp', []] } }) },
    { name: 'volumes of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { volumes: { name: 'tmp', hostPath: { path: '/' } } } }) },
  ],
  invalid: [
    {
      name: 'hostPath on a Deployment',
      manifests: deployment({ podSpec: { volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'logs', hostPath: { path: '/var/log' } }] } }),
      findings: [{ messageId: 'volumeType', path: '/spec/template/spec/volumes/1/hostPath', data: { volume: 'logs', type: 'hostPath' }, resource: 'Deployment default/app', severity: 'low' }],
      fixed: null,
    },
    {
      name: 'network volumes on a CronJob',
      manifests: cronJob({ podSpec: { volumes: [{ name: 'share', nfs: { server: 'nfs.example.com', path: '/' } }, { name: 'ebs', awsElasticBlockStore: { volumeID: 'vol-1' } }, { name: 'repo', gitRepo: { repository: 'https://example.com/r.git' } }] } }),
      findings: [
        { messageId: 'volumeType', path: '/spec/jobTemplate/spec/template/spec/volumes/0/nfs', data: { volume: 'share', type: 'nfs' } },
        { messageId: 'volumeType', path: '/spec/jobTemplate/spec/template/spec/volumes/1/awsElasticBlockStore', data: { volume: 'ebs', type: 'awsElasticBlockStore' } },
        { messageId: 'volumeType', path: '/spec/jobTemplate/spec/template/spec/volumes/2/gitRepo', data: { volume: 'repo', type: 'gitRepo' } },
      ],
    },
    {
      name: 'an unnamed flexVolume on a bare Pod',
      manifests: pod({ podSpec: { volumes: [{ flexVolume: { driver: 'example/driver' } }] } }),
      findings: [{ messageId: 'volumeType', path: '/spec/volumes/0/flexVolume', data: { volume: 'volumes[0]', type: 'flexVolume' } }],
    },
  ],
});
