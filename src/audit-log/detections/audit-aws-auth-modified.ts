import { isFinalStage, nameFromBody, succeeded } from '../event.js';
import { actorLabel, defineDetection, ignoredActor, IGNORE_USERS_SCHEMA, isMutation, listFact, plural, timeRange } from '../detection.js';
import { PAST_TENSE } from './audit-rbac-changed.js';

export interface AwsAuthModifiedOptions {
  readonly ignoreUsers: readonly string[];
}

export default defineDetection<AwsAuthModifiedOptions>({
  id: 'audit-aws-auth-modified',
  meta: {
    title: 'Report changes to the aws-auth ConfigMap',
    severity: 'high',
    rationale: 'On EKS, kube-system/aws-auth maps IAM roles and users to Kubernetes users and groups. Whoever can edit it can map any IAM principal to system:masters; every change to it is a change to who administers the cluster.',
    remediation: 'Compare the change with your records; revert unknown mappings. Move to EKS access entries (API authentication mode), which are managed through IAM and logged in CloudTrail, and restrict update on this ConfigMap (scan rule restrict-aws-auth-edit).',
    controls: ['eks-bp:iam'],
    falco: [],
  },
  cloudWatchFilter: '$.objectRef.name = "aws-auth" || $.verb = "deletecollection"',
  defaultOptions: { ignoreUsers: [] },
  schema: { type: 'object', additionalProperties: false, properties: { ignoreUsers: IGNORE_USERS_SCHEMA } },
  create(options) {
    return {
      resources: ['configmaps'],
      // A deletecollection names no object: `kubectl delete configmaps --all -n kube-system` deletes aws-auth too.
      prefilter: (probe) => probe.refHas('aws-auth') || probe.has('deletecollection'),
      match(event) {
        const ref = event.objectRef;
        if (ref === undefined || ref.resource !== 'configmaps' || ref.namespace !== 'kube-system' || ref.subresource !== '') return undefined;
        const name = ref.name !== '' ? ref.name : nameFromBody(event);
        const collection = event.verb === 'deletecollection' && name === undefined;
        if ((name !== 'aws-auth' && !collection) || !isMutation(event.verb) || !isFinalStage(event) || !succeeded(event)) return undefined;
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const user = actorLabel(event);
        return {
          key: user,
          resource: { provider: 'kubernetes', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'aws-auth' },
          facts: { user, change: collection ? 'possibly deleted (a deletecollection of the ConfigMaps in kube-system)' : PAST_TENSE[event.verb] ?? event.verb, sourceIP: event.sourceIPs[0] ?? '' },
        };
      },
      describe(group) {
        return {
          message: `ConfigMap kube-system/aws-auth ${listFact(group.facts.change)} by ${listFact(group.facts.user)} from ${listFact(group.facts.sourceIP) || 'an unknown address'}${group.count > 1 ? ` (${plural(group.count, 'change')})` : ''} ${timeRange(group)}`,
        };
      },
    };
  },
});
