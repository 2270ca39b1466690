import { describe, expect, it } from 'vitest';
import { Inventory } from '../../src/core/inventory.js';
import { clusterVersion, minorOf, sessionVerbs } from '../../src/rbac/pod-sessions.js';
import { describeCluster } from '../builders-aws.js';
import { inventoryOf } from '../rule-tester.js';

describe('cluster version for exec sessions', () => {
  it('reads EKS versions and API server gitVersions', () => {
    expect(minorOf('1.34')).toBe(34);
    expect(minorOf('v1.35.1-eks-113cf36')).toBe(35);
    expect(minorOf('v1.30.0+k3s1')).toBe(30);
    expect(minorOf('2.0')).toBeUndefined();
    expect(minorOf('v1.3x')).toBeUndefined();
  });

  it('prefers the live API server, takes the oldest EKS cluster, and counts get up to 1.34 or when unknown', () => {
    expect(sessionVerbs(clusterVersion(new Inventory([])))).toEqual(['create', 'get']);
    expect(sessionVerbs(clusterVersion(new Inventory([], [], [], undefined, [], 'v1.35.0-eks-1')))).toEqual(['create']);
    expect(sessionVerbs(clusterVersion(new Inventory([], [], [], undefined, [], 'v1.34.9')))).toEqual(['create', 'get']);
    const two = inventoryOf(undefined, [describeCluster({ version: '1.36' }), describeCluster({ name: 'old', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/old', version: '1.33' })]);
    expect(clusterVersion(two).minor).toBe(33);
    expect(sessionVerbs(clusterVersion(inventoryOf(undefined, [describeCluster({ version: '1.35' })])))).toEqual(['create']);
  });
});
