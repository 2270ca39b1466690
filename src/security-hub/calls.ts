/**
 * The Security Hub calls `scan --security-hub` makes: deploy/iam-policy-security-hub.json grants
 * exactly these (a test holds them equal). They write, so they are never in deploy/iam-policy.json.
 */
export const SECURITY_HUB_CALLS = ['securityhub:BatchImportFindings', 'securityhub:GetFindings', 'securityhub:BatchUpdateFindings'] as const;
export type SecurityHubCall = (typeof SECURITY_HUB_CALLS)[number];
