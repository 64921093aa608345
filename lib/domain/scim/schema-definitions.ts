/**
 * The RFC 7643 schemas Accord serves, as data. One definition drives the /Schemas document,
 * the case-insensitive attribute lookup of filters, PATCH paths and `attributes=`, and the
 * normalisation of incoming resources, so they cannot drift apart.
 */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

export type ResourceKind = "User" | "Group";
export type AttrType = "string" | "boolean" | "dateTime" | "reference" | "binary" | "complex";

export interface AttrDef {
  name: string;
  type: AttrType;
  description: string;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  subAttributes?: AttrDef[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

type Options = Partial<Omit<AttrDef, "name" | "type" | "description">>;

function attr(name: string, type: AttrType, description: string, options: Options = {}): AttrDef {
  return { name, type, description, multiValued: false, required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none", ...options };
}
const str = (name: string, description: string, options?: Options) => attr(name, "string", description, options);
const complex = (name: string, description: string, subAttributes: AttrDef[], options?: Options) => attr(name, "complex", description, { subAttributes, ...options });

/** The value/display/type/primary shape RFC 7643 §2.4 uses for most multi-valued attributes. */
function plural(name: string, description: string, types: string[], valueType: AttrType = "string"): AttrDef {
  return complex(
    name,
    description,
    [
      attr("value", valueType, `The ${name} value.`),
      str("display", "A human-readable name, primarily used for display purposes."),
      str("type", "A label indicating the attribute's function.", { canonicalValues: types }),
      attr("primary", "boolean", "Whether this is the primary value; 'true' appears at most once."),
    ],
    { multiValued: true },
  );
}

const USER_ATTRIBUTES: AttrDef[] = [
  str("userName", "Unique identifier for the User, used to authenticate; unique (case-insensitively) among this source's Users.", { required: true, uniqueness: "server" }),
  complex("name", "The components of the user's real name.", [
    str("formatted", "The full name, formatted for display."),
    str("familyName", "The family name of the User."),
    str("givenName", "The given name of the User."),
    str("middleName", "The middle name(s) of the User."),
    str("honorificPrefix", "The honorific prefix(es) of the User."),
    str("honorificSuffix", "The honorific suffix(es) of the User."),
  ]),
  str("displayName", "The name of the User, suitable for display to end-users."),
  str("nickName", "The casual way to address the user."),
  attr("profileUrl", "reference", "A URI pointing to the User's online profile.", { referenceTypes: ["external"] }),
  str("title", "The user's title, such as 'Vice President'."),
  str("userType", "The relationship between the organization and the user, e.g. 'Employee' or 'Contractor'."),
  str("preferredLanguage", "The User's preferred written or spoken language."),
  str("locale", "The User's default location for localization."),
  str("timezone", "The User's time zone in the 'Olson' format."),
  attr("active", "boolean", "The User's administrative status; false makes the identity a leaver in Accord."),
  str("password", "Not stored: Accord does not manage passwords.", { mutability: "writeOnly", returned: "never" }),
  plural("emails", "Email addresses for the user.", ["work", "home", "other"]),
  plural("phoneNumbers", "Phone numbers for the User.", ["work", "home", "mobile", "fax", "pager", "other"]),
  plural("ims", "Instant messaging addresses for the User.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
  plural("photos", "URLs of photos of the User.", ["photo", "thumbnail"], "reference"),
  complex(
    "addresses",
    "A physical mailing address for this User.",
    [
      str("formatted", "The full mailing address, formatted for display."),
      str("streetAddress", "The full street address component."),
      str("locality", "The city or locality component."),
      str("region", "The state or region component."),
      str("postalCode", "The zip code or postal code component."),
      str("country", "The country name component."),
      str("type", "A label indicating the attribute's function.", { canonicalValues: ["work", "home", "other"] }),
      attr("primary", "boolean", "Whether this is the primary address."),
    ],
    { multiValued: true },
  ),
  plural("entitlements", "A list of entitlements for the User.", []),
  plural("roles", "A list of roles for the User.", []),
  plural("x509Certificates", "A list of certificates issued to the User.", [], "binary"),
];

const ENTERPRISE_ATTRIBUTES: AttrDef[] = [
  str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person."),
  str("costCenter", "Identifies the name of a cost center."),
  str("organization", "Identifies the name of an organization."),
  str("division", "Identifies the name of a division."),
  str("department", "Identifies the name of a department; a change is a 'mover' lifecycle event."),
  complex("manager", "The User's manager: the 'id' of another User of the same source; a change is a 'mover' event.", [
    str("value", "The id of the SCIM resource representing the User's manager."),
    attr("$ref", "reference", "The URI of the SCIM resource representing the User's manager.", { referenceTypes: ["User"] }),
    str("displayName", "The displayName of the User's manager.", { mutability: "readOnly" }),
  ]),
];

const GROUP_ATTRIBUTES: AttrDef[] = [
  str("displayName", "A human-readable name for the Group; unique among this source's Groups.", { required: true }),
  complex(
    "members",
    "A list of members of the Group: Users of the same source.",
    [
      str("value", "Identifier of the member of this Group.", { mutability: "immutable" }),
      attr("$ref", "reference", "The URI corresponding to a SCIM resource that is a member of this Group.", { mutability: "immutable", referenceTypes: ["User"] }),
      str("display", "The member's displayName.", { mutability: "readOnly" }),
      str("type", "A label indicating the type of resource.", { mutability: "immutable", canonicalValues: ["User"] }),
    ],
    { multiValued: true },
  ),
];

/** RFC 7643 §3.1: attributes every resource has, outside any schema document. */
const COMMON_ATTRIBUTES: AttrDef[] = [
  str("id", "Unique identifier issued by Accord.", { caseExact: true, mutability: "readOnly", returned: "always", uniqueness: "server" }),
  str("externalId", "Identifier issued by the provisioning client.", { caseExact: true }),
  complex(
    "meta",
    "Resource metadata.",
    [
      str("resourceType", "The name of the resource type.", { caseExact: true, mutability: "readOnly" }),
      attr("created", "dateTime", "When the resource was added.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "When the resource was last updated.", { mutability: "readOnly" }),
      attr("location", "reference", "The URI of the resource.", { mutability: "readOnly" }),
      str("version", "The version (ETag) of the resource.", { caseExact: true, mutability: "readOnly" }),
    ],
    { mutability: "readOnly" },
  ),
];

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttrDef[];
}

export const SCHEMAS: SchemaDef[] = [
  { id: USER_SCHEMA, name: "User", description: "User Account", attributes: USER_ATTRIBUTES },
  { id: ENTERPRISE_SCHEMA, name: "EnterpriseUser", description: "Enterprise User", attributes: ENTERPRISE_ATTRIBUTES },
  { id: GROUP_SCHEMA, name: "Group", description: "Group", attributes: GROUP_ATTRIBUTES },
];

export const CORE_SCHEMA: Record<ResourceKind, string> = { User: USER_SCHEMA, Group: GROUP_SCHEMA };
export const EXTENSIONS: Record<ResourceKind, string[]> = { User: [ENTERPRISE_SCHEMA], Group: [] };

const bySchema = new Map(SCHEMAS.map((s) => [s.id.toLowerCase(), s]));

export function findSub(def: AttrDef, name: string): AttrDef | undefined {
  const lower = name.toLowerCase();
  return def.subAttributes?.find((s) => s.name.toLowerCase() === lower);
}

function findIn(attributes: AttrDef[], name: string): AttrDef | undefined {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
}

/** A top-level attribute of a resource kind, resolved case-insensitively (RFC 7643 §2.1). */
export interface ResolvedAttr {
  /** The schema URN for extension attributes, null for core and common ones. */
  extension: string | null;
  def: AttrDef;
}

/**
 * Resolves "userName", "urn:...:User:userName", "urn:...:enterprise:2.0:User:department" or,
 * leniently, an unprefixed extension attribute ("department") whose name no core one shares.
 * Returns the remainder after the attribute name (".givenName", "[type eq ...].value").
 */
export function resolveAttribute(kind: ResourceKind, path: string): { attr: ResolvedAttr; rest: string } | null {
  let schemaId: string | null = null;
  let remainder = path;
  const lower = path.toLowerCase();
  for (const id of [CORE_SCHEMA[kind], ...EXTENSIONS[kind]]) {
    if (lower.startsWith(`${id.toLowerCase()}:`)) {
      schemaId = id;
      remainder = path.slice(id.length + 1);
    }
  }
  const match = /^([A-Za-z$][\w$-]*)/.exec(remainder);
  if (!match) return null;
  const name = match[1]!;
  const rest = remainder.slice(name.length);
  const core = bySchema.get(CORE_SCHEMA[kind].toLowerCase())!;
  if (schemaId === null || schemaId === CORE_SCHEMA[kind]) {
    const def = findIn(core.attributes, name) ?? findIn(COMMON_ATTRIBUTES, name);
    if (def) return { attr: { extension: null, def }, rest };
    if (schemaId !== null) return null;
  }
  for (const id of schemaId ? [schemaId] : EXTENSIONS[kind]) {
    const def = findIn(bySchema.get(id.toLowerCase())!.attributes, name);
    if (def) return { attr: { extension: id, def }, rest };
  }
  return null;
}

export function schemaById(id: string): SchemaDef | undefined {
  return bySchema.get(id.toLowerCase());
}

/** Attributes of the resource kind that a client may write, keyed by canonical name. */
export function writableAttributes(schema: SchemaDef): AttrDef[] {
  return schema.attributes.filter((a) => a.mutability !== "readOnly");
}
