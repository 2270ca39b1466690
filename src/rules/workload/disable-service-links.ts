import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';

export type MessageId = 'serviceLinks' | 'setFalse';

export default defineRule({
  id: 'disable-service-links',
  meta: {
    area: 'workload',
    severity: 'low',
    docs: { description: 'Require enableServiceLinks: false on pods', controls: ['eks-bp:pod-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      serviceLinks: 'The pod spec {{state}}: every Service of the namespace is injected into each container as *_SERVICE_HOST and *_PORT environment variables.',
      setFalse: 'Set enableServiceLinks: false on the pod spec.',
    },
    rationale: 'With service links on (the default), the kubelet writes the address and port of every Service in the pod\'s namespace into each container\'s environment: a map of the namespace for anyone who reads the environment (a process listing, a crash dump, an SSRF that leaks env), and thousands of variables in busy namespaces. Applications find Services through DNS; the variables are a Docker-links leftover. The EKS guide lists disabling service discovery for pods that do not need it.',
    remediation: 'Set spec.enableServiceLinks: false in the pod template, after checking that the application does not read *_SERVICE_HOST variables (use the Service\'s DNS name instead).',
    hasSuggestions: true,
    // An application may still read the *_SERVICE_HOST variables: applied with --unsafe or --rule only.
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const value = workload.podSpec.enableServiceLinks;
      if (value === false) return out;
      const path = [...workload.podSpecPath, 'enableServiceLinks'];
      out.push({
        messageId: 'serviceLinks' as const,
        path: value === undefined ? workload.podSpecPath : path,
        data: { state: value === undefined ? 'leaves enableServiceLinks unset, which means true' : `sets enableServiceLinks: ${JSON.stringify(value)}` },
        // A suggestion, not a fix: an application may still read the variables.
        suggest: [{ messageId: 'setFalse' as const, patch: [{ op: value === undefined ? 'add' as const : 'replace' as const, path, value: false }] }],
      });
      return out;
    },
  }),
});
