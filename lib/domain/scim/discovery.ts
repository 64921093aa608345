import { MAX_COUNT } from "./context";
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, LIST_SCHEMA, SCHEMAS, USER_SCHEMA, type AttrDef, type SchemaDef } from "./schema-definitions";

/** RFC 7644 §4 discovery documents, built from the same definitions the server enforces. */
export const MAX_BODY_BYTES = 1_048_576;

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: MAX_BODY_BYTES },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "An Accord API token with the 'scim' scope, bound to one identity source. Send it as 'Authorization: Bearer <token>'.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

const RESOURCE_TYPES = [
  {
    id: "User",
    name: "User",
    endpoint: "/Users",
    description: "User Account: an identity of the token's source",
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
  },
  { id: "Group", name: "Group", endpoint: "/Groups", description: "Group: an entitlement whose members hold standing grants", schema: GROUP_SCHEMA, schemaExtensions: [] },
];

function resourceType(baseUrl: string, type: (typeof RESOURCE_TYPES)[number]) {
  return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], ...type, meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${type.id}` } };
}

export function resourceTypes(baseUrl: string) {
  return listOf(RESOURCE_TYPES.map((t) => resourceType(baseUrl, t)));
}

export function findResourceType(baseUrl: string, id: string) {
  const type = RESOURCE_TYPES.find((t) => t.id.toLowerCase() === id.toLowerCase());
  return type ? resourceType(baseUrl, type) : null;
}

function attributeDocument(def: AttrDef): Record<string, unknown> {
  const { subAttributes, canonicalValues, referenceTypes, ...rest } = def;
  return {
    ...rest,
    ...(canonicalValues && canonicalValues.length > 0 ? { canonicalValues } : {}),
    ...(referenceTypes ? { referenceTypes } : {}),
    ...(subAttributes ? { subAttributes: subAttributes.map(attributeDocument) } : {}),
  };
}

function schemaDocument(baseUrl: string, schema: SchemaDef) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function schemas(baseUrl: string) {
  return listOf(SCHEMAS.map((s) => schemaDocument(baseUrl, s)));
}

export function findSchema(baseUrl: string, id: string) {
  const schema = SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
  return schema ? schemaDocument(baseUrl, schema) : null;
}

export function listOf<T>(resources: T[], total = resources.length, startIndex = 1) {
  return { schemas: [LIST_SCHEMA], totalResults: total, itemsPerPage: resources.length, startIndex, Resources: resources };
}
