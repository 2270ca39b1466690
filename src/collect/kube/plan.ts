/** Which API calls a live collection makes, derived from the kinds the enabled rules need. Pure. */
import { ALL_KINDS, type KindsNeeded } from '../../engine/rule-kinds.js';
import { API_RESOURCES, type ApiResource } from './resources.js';

export interface PlannedRead {
  readonly resource: ApiResource;
  readonly apiVersion: string;
  readonly verb: 'get' | 'list';
  /** The namespace listed in, or of the object got; absent for cluster-wide lists and cluster-scoped objects. */
  readonly namespace?: string;
  readonly name?: string;
  /** URL path below the server, without the query. */
  readonly path: string;
  /** The call in words, as RBAC sees it: `list pods in all namespaces`, `get configmaps kube-system/aws-auth`. */
  readonly description: string;
}

export interface ReadPlan {
  readonly reads: readonly PlannedRead[];
  /** Add-on resources a rule needs whose API the cluster does not serve: nothing to read, and no gap. */
  readonly notInstalled: readonly ApiResource[];
  /** Add-on resources that could not be resolved because discovery failed: each is a gap. */
  readonly unresolved: readonly ApiResource[];
}

export interface PlanInput {
  readonly kinds: KindsNeeded;
  /** `--namespace`: read namespaced objects in these namespaces only. */
  readonly namespaces?: readonly string[];
  /** The `group/version`s the cluster serves (from `/apis`); undefined when discovery failed. */
  readonly served?: ReadonlySet<string>;
  readonly resources?: readonly ApiResource[];
}

function basePath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The URL path of a list (namespace undefined: every namespace) or, with a name, of one object. */
export function resourcePath(resource: ApiResource, apiVersion: string, namespace: string | undefined, name?: string): string {
  let path = basePath(apiVersion);
  if (resource.namespaced && namespace !== undefined) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${resource.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  return path;
}

function groupSuffix(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : `.${apiVersion.slice(0, slash)}`;
}

function readsOf(resource: ApiResource, apiVersion: string, namespaces: readonly string[] | undefined): PlannedRead[] {
  const what = `${resource.plural}${groupSuffix(apiVersion)}`;
  const read = resource.read;
  if (read.verb === 'get') {
    // Named objects are cluster configuration (kube-system/aws-auth): read whatever --namespace says.
    return read.names.map(({ namespace, name }) => ({
      resource, apiVersion, verb: 'get', namespace, name,
      path: resourcePath(resource, apiVersion, namespace, name),
      description: `get ${what} ${namespace}/${name}`,
    }));
  }
  if (namespaces !== undefined && resource.getWhenScoped) {
    return namespaces.map((name) => ({
      resource, apiVersion, verb: 'get', name,
      path: resourcePath(resource, apiVersion, undefined, name),
      description: `get ${what} ${name}`,
    }));
  }
  if (!resource.namespaced || namespaces === undefined) {
    return [{
      resource, apiVersion, verb: 'list',
      path: resourcePath(resource, apiVersion, undefined),
      description: `list ${what}${resource.namespaced ? ' in all namespaces' : ''}`,
    }];
  }
  return namespaces.map((namespace) => ({
    resource, apiVersion, verb: 'list', namespace,
    path: resourcePath(resource, apiVersion, namespace),
    description: `list ${what} in namespace ${namespace}`,
  }));
}

/**
 * The reads for the kinds the rules need: built-in resources always, add-on resources in the
 * first version the cluster serves. Ordered by stage (owners before what they own), then as the
 * resource table lists them.
 */
export function planReads(input: PlanInput): ReadPlan {
  const resources = input.resources ?? API_RESOURCES;
  const wanted = (resource: ApiResource) => input.kinds === ALL_KINDS || input.kinds.has(resource.kind);
  const reads: PlannedRead[] = [];
  const notInstalled: ApiResource[] = [];
  const unresolved: ApiResource[] = [];
  for (const resource of resources) {
    if (!wanted(resource)) continue;
    let apiVersion: string | undefined = resource.apiVersions[0];
    if (resource.addOn !== undefined) {
      if (input.served === undefined) {
        unresolved.push(resource);
        continue;
      }
      const served = input.served;
      apiVersion = resource.apiVersions.find((v) => served.has(v));
      if (apiVersion === undefined) {
        notInstalled.push(resource);
        continue;
      }
    }
    if (apiVersion === undefined) continue;
    reads.push(...readsOf(resource, apiVersion, input.namespaces));
  }
  reads.sort((a, b) => a.resource.stage - b.resource.stage);
  return { reads, notInstalled, unresolved };
}
