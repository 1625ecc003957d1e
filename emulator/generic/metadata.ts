// The shape of emulator/generated/resources.ts, written by tools/gen-emulator.ts from
// Stripe's OpenAPI spec so the emulator never reads the spec at run time.
//
// FieldShape (what an object's field holds, for synthesis), compact on purpose:
//   's' string · 'i' integer · 't' unix time · 'n' number · 'b' boolean · 'm' string map
//   'x' anything · 'L' a list object · 'e:a|b' enum · 'r:type' id of another object type
//   '@name' a shared shape from SHAPES · ['a', item] an array · { field: shape } an object
//   A leading '?' marks a nullable field (synthesis leaves it null); a leading '~' an optional
//   one the spec never makes null (synthesis leaves it out).
//
// ParamSpec (a request parameter, for validation):
//   's' 'i' 'n' 'b' 'm' (map) 'r' (created-style range) 'o' (anything) 'e:a|b' (enum)
//   ['a', item] · ['o', { name: spec }, required[]]; a leading '?' accepts "" (unset).

export type FieldShape = string | [string, FieldShape] | { [field: string]: FieldShape };

export type ParamSpec = string | [string, ParamSpec] | [string, Record<string, ParamSpec>, string[]];

/** `action`: POST /v1/<collection>/{id}/<verb> (confirm, capture, finalize, …), served by lifecycle/. */
export type EndpointKind = 'list' | 'retrieve' | 'create' | 'update' | 'delete' | 'search' | 'action';

export interface ParentRef {
  /** Path parameter naming the parent, e.g. `customer`. */
  param: string;
  /** Object type of the parent. */
  type: string;
  /** Field of the child holding the parent's id; null when only the parent knows its children. */
  field: string | null;
}

export interface GeneratedEndpoint {
  kind: EndpointKind;
  path: string;
  /** Extra parameters (list filters, create/update body), beyond limit/cursors/expand. */
  params?: Record<string, ParamSpec>;
  required?: string[];
  /** List filters: the object field each filter compares (null: no such field). */
  fields?: Record<string, string | null>;
  parent?: ParentRef;
  /** Object types a list mixes (sources, external accounts); absent means the resource's own. */
  types?: string[];
  /** A list that takes no `limit` nor cursors (only `expand`): its one page is the whole list. */
  unpaged?: true;
}

export interface GeneratedResource {
  /** Stripe's `object` value. */
  object: string;
  /** Fields Stripe always returns. */
  fields: Record<string, FieldShape>;
  /**
   * Expandable fields: the referenced object type; `list:type` for a list Stripe includes
   * on request (charge.refunds); '' for an embedded object.
   */
  expand: Record<string, string>;
  endpoints: GeneratedEndpoint[];
}
