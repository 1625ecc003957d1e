import { RESOURCES, SHAPES } from '../generated/resources.js';
import type { FieldShape, GeneratedEndpoint, GeneratedResource } from './metadata.js';

// Lookups over the generated metadata.

const byObject = new Map<string, GeneratedResource>(RESOURCES.map((resource) => [resource.object, resource]));

export function allResources(): readonly GeneratedResource[] {
  return RESOURCES;
}

export function resourceFor(objectType: string): GeneratedResource | undefined {
  return byObject.get(objectType);
}

export function sharedShape(name: string): FieldShape | undefined {
  return SHAPES[name];
}

export function endpointsOf(objectType: string, kind: GeneratedEndpoint['kind']): GeneratedEndpoint[] {
  return byObject.get(objectType)?.endpoints.filter((endpoint) => endpoint.kind === kind) ?? [];
}

/** Every list endpoint with the resource it lists. */
export function listEndpoints(): Array<{ resource: GeneratedResource; endpoint: GeneratedEndpoint }> {
  return RESOURCES.flatMap((resource) =>
    resource.endpoints.filter((endpoint) => endpoint.kind === 'list').map((endpoint) => ({ resource, endpoint })),
  );
}
