/**
 * The EKS token minted in-process is the string `aws eks get-token` prints for the same inputs
 * (pinned: derived by the tests' own SigV4, test/fleet/sigv4.ts, independent of the signer the
 * module uses, and checked against AWS CLI v2 2.9.19 itself — Debian's awscli, with the clock frozen
 * by faketime: `env -i PATH=/usr/bin:/bin AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
 * AWS_SECRET_ACCESS_KEY=... faketime -f '2026-12-07 12:00:00' aws eks get-token --cluster-name
 * shop-weak --region us-east-1` prints PINNED_LONG_TERM, byte for byte, and the session inputs
 * print PINNED_WITH_SESSION), verifies for its cluster only, and is replaced before the
 * authenticator refuses it.
 */
import { describe, expect, it } from 'vitest';
import { EksTokenSource, mintEksToken, stsHost, TOKEN_LIFETIME_MS } from '../../src/collect/aws/eks-token.js';
import { expectedToken, verifyEksToken } from './sigv4.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const WITH_SESSION = {
  clusterName: 'prod', region: 'eu-west-1', accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET,
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+token/with=chars', now: new Date('2026-01-02T03:04:05Z'),
};
const LONG_TERM = { clusterName: 'shop-weak', region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, now: new Date('2026-12-07T12:00:00Z') };
/** What `aws eks get-token --cluster-name prod --region eu-west-1` prints as status.token with the session credentials above at 2026-01-02T03:04:05Z. */
const PINNED_WITH_SESSION = 'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BU0lBSU9TRk9ETk43RVhBTVBMRSUyRjIwMjYwMTAyJTJGZXUtd2VzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjAxMDJUMDMwNDA1WiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TZWN1cml0eS1Ub2tlbj1JUW9KYjNKcFoybHVYMlZqRVhBTVBMRSUyQnRva2VuJTJGd2l0aCUzRGNoYXJzJlgtQW16LVNpZ25hdHVyZT04YmVmZGE4ZjM5NDEyMWI5ZTg4YWI5ZmRkOTg1ODBhMGI1YTQxYTQ5YzcwNzAzZWJhMjRmYzRiNTMwNWNhN2Fk';
const PINNED_LONG_TERM = 'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BS0lBSU9TRk9ETk43RVhBTVBMRSUyRjIwMjYxMjA3JTJGdXMtZWFzdC0xJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjEyMDdUMTIwMDAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9OTM5M2E1N2Q3NGI2OWQ2ZTZiNjA3N2EwZjVhNGNjNjg5ODBmNTkwNWRhYzMyYjllMTNkYjA2OWI2MzU3ZGZmOA';

const mint = (inputs: typeof LONG_TERM & { sessionToken?: string }) => mintEksToken({
  clusterName: inputs.clusterName, region: inputs.region, now: inputs.now,
  credentials: { accessKeyId: inputs.accessKeyId, secretAccessKey: inputs.secretAccessKey, ...(inputs.sessionToken !== undefined ? { sessionToken: inputs.sessionToken } : {}) },
});

describe('EKS token', () => {
  it('is what aws eks get-token prints for pinned inputs (session credentials, and long-term keys)', async () => {
    expect(expectedToken(WITH_SESSION)).toBe(PINNED_WITH_SESSION);
    expect(expectedToken(LONG_TERM)).toBe(PINNED_LONG_TERM);
    expect((await mint(WITH_SESSION)).token).toBe(PINNED_WITH_SESSION);
    expect((await mint(LONG_TERM)).token).toBe(PINNED_LONG_TERM);
  });

  it('has the shape EKS expects: prefix, base64url without padding, a presigned GetCallerIdentity URL for the regional STS host', async () => {
    const { token, expiresAt } = await mint(WITH_SESSION);
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token.slice(11), 'base64url').toString());
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(WITH_SESSION.sessionToken);
    expect(expiresAt.getTime() - WITH_SESSION.now.getTime()).toBe(TOKEN_LIFETIME_MS);
    expect(stsHost('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn');
  });

  it('verifies for its own cluster only, with the right key, within 15 minutes', async () => {
    const { token } = await mint(LONG_TERM);
    const check = (clusterName: string, now: Date, secret = SECRET) => verifyEksToken(token, { clusterName, regions: ['us-east-1'], secretFor: () => secret, now });
    expect(check('shop-weak', LONG_TERM.now)).toEqual({ ok: true, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(check('shop-hardened', LONG_TERM.now)).toMatchObject({ ok: false, why: expect.stringMatching(/signature/) });
    expect(check('shop-weak', LONG_TERM.now, 'another-secret')).toMatchObject({ ok: false });
    expect(check('shop-weak', new Date(LONG_TERM.now.getTime() + 16 * 60_000))).toEqual({ ok: false, why: 'expired' });
  });

  it('is minted once, shared by concurrent callers, and minted anew before the authenticator would refuse it', async () => {
    let now = LONG_TERM.now;
    const source = new EksTokenSource({ clusterName: 'shop-weak', region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }, clock: () => now });
    const [a, b] = await Promise.all([source.token(), source.token()]);
    expect(a).toBe(b);
    expect(source.minted).toBe(1);
    now = new Date(LONG_TERM.now.getTime() + 10 * 60_000);
    expect(await source.token()).toBe(a);
    now = new Date(LONG_TERM.now.getTime() + 13 * 60_000);
    const fresh = await source.token();
    expect(fresh).not.toBe(a);
    expect(source.minted).toBe(2);
    expect(verifyEksToken(fresh, { clusterName: 'shop-weak', regions: ['us-east-1'], secretFor: () => SECRET, now: new Date(now.getTime() + 14 * 60_000) }).ok).toBe(true);
  });
});
