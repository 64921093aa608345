/**
 * Identities: a CEO, department heads, the fixed demo people, then generated employees,
 * contractors and third parties in a reporting tree, then non-human identities with owners.
 * Managers and owners always have a lower index than the people they manage, so identities can
 * be COPYed in index order, in chunks, without a forward reference.
 */
import { DEPARTMENTS, FIRST_NAMES, LAST_NAMES, NHI_PURPOSES, NHI_SYSTEMS, AI_AGENT_PURPOSES, VENDORS, departmentIndex } from "./names";
import { FIXED_NHIS, FIXED_PEOPLE } from "./planted";
import { apportion, rngFor, uuidFor, type Rng } from "./random";
import { DAY, S, ST, STATUSES, T, TYPES, day, iso, isHumanType, type Profile, type Roster, type Row } from "./model";

/** The CEO's department code, one past the real departments. */
export const EXECUTIVE = DEPARTMENTS.length;
export const DEPT_NAMES = [...DEPARTMENTS.map((d) => d.name), "Executive"];
const SPAN = 7; // reports per manager in the generated tree

export interface People {
  roster: Roster;
  /** Fixed person or NHI key -> identity index. */
  fixed: Map<string, number>;
  /** Identity index -> department head's index, per department. */
  heads: number[];
  fixedGrantCount: Map<number, number>;
}

export function buildPeople(seed: number, now: number, profile: Profile): People {
  const count = profile.identities;
  const humans = count - profile.nonHumans;
  const r = rngFor(seed, S.roster);
  const roster: Roster = {
    count,
    humans,
    type: new Uint8Array(count),
    dept: new Uint8Array(count),
    status: new Uint8Array(count),
    manager: new Int32Array(count).fill(-1),
    owner: new Int32Array(count).fill(-1),
    startedAt: new Float64Array(count),
    leftAt: new Float64Array(count).fill(Number.NaN),
    isManager: new Uint8Array(count),
    privileged: new Uint8Array(count),
    keepsGrants: new Uint8Array(count),
    activity: new Float64Array(count),
    grantStart: new Float64Array(count + 1),
    vendor: new Int8Array(count).fill(-1),
    displayName: new Array(count),
    email: new Array(count).fill(null),
    userName: new Array(count),
    title: new Array(count).fill(null),
    description: new Array(count).fill(null),
  };
  const fixed = new Map<string, number>();
  const fixedGrantCount = new Map<number, number>();
  const grantWeight = new Float64Array(count);
  const taken = new Set<string>([...FIXED_PEOPLE.map((p) => p.email), ...FIXED_NHIS.map((n) => n.name)]);
  const unique = (base: string) => {
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = base.includes("@") ? base.replace("@", `${n}@`) : `${base}-${n}`;
    taken.add(candidate);
    return candidate;
  };
  const setName = (i: number, first: string, last: string, domain = "accord.example") => {
    roster.displayName[i] = `${first} ${last}`;
    roster.email[i] = unique(`${first}.${last}@${domain}`.toLowerCase());
    roster.userName[i] = roster.email[i]!;
  };
  const randomName = (rng: Rng) => [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)] as const;

  let next = 0;
  const human = (type: number, dept: number, startedDaysAgo: number) => {
    const i = next++;
    roster.type[i] = type;
    roster.dept[i] = dept;
    roster.startedAt[i] = now - startedDaysAgo * DAY;
    roster.activity[i] = r.pareto(1.5, 10);
    return i;
  };

  const ceo = human(T.employee, EXECUTIVE, 9 * 365);
  setName(ceo, ...randomName(r));
  roster.title[ceo] = "Chief Executive Officer";
  roster.isManager[ceo] = 1;
  grantWeight[ceo] = 1;
  const heads = DEPARTMENTS.map((d, index) => {
    const i = human(T.employee, index, r.int(3 * 365, 8 * 365));
    setName(i, ...randomName(r));
    roster.title[i] = d.head;
    roster.manager[i] = ceo;
    roster.isManager[i] = 1;
    grantWeight[i] = 1.2;
    return i;
  });

  for (const person of FIXED_PEOPLE) {
    const i = human(person.type === "employee" ? T.employee : T.contractor, departmentIndex(person.department), person.startedDaysAgo);
    fixed.set(person.key, i);
    roster.displayName[i] = `${person.first} ${person.last}`;
    roster.email[i] = person.email;
    roster.userName[i] = person.email;
    roster.title[i] = person.title;
    const manager = person.manager === "head" ? heads[roster.dept[i]!] : fixed.get(person.manager);
    if (manager === undefined) throw new Error(`fixed person ${person.key}: manager ${person.manager} must be listed earlier`);
    roster.manager[i] = manager;
    roster.isManager[manager] = 1;
    roster.privileged[i] = person.privileged ? 1 : 0;
    if (person.status) roster.status[i] = ST[person.status];
    if (person.status === "leaver") {
      roster.leftAt[i] = now - (person.leftDaysAgo ?? 30) * DAY;
      roster.keepsGrants[i] = person.keepsAccess ? 1 : 0;
    }
    fixedGrantCount.set(i, person.pins.length + person.extraGrants);
  }

  // Generated people; the reporting tree is built once everyone's department is known.
  const members: number[][] = heads.map((h) => [h]);
  const deptWeights = DEPARTMENTS.map((d, index) => [index, d.weight] as const);
  const genericStart = next;
  while (next < humans) {
    const tp = r.chance(profile.thirdPartyRate);
    const type = tp ? T.third_party : r.chance(profile.contractorRate / (1 - profile.thirdPartyRate)) ? T.contractor : T.employee;
    const vendor = tp ? r.int(0, VENDORS.length - 1) : -1;
    const dept = tp ? departmentIndex(VENDORS[vendor]!.department) : r.weighted(deptWeights);
    const i = human(type, dept, Math.max(14, Math.round(8 * 365 * r.float() ** 1.6)));
    roster.vendor[i] = vendor;
    const [first, last] = randomName(r);
    setName(i, first, last, tp ? VENDORS[vendor]!.domain : "accord.example");
    if (type === T.employee) members[dept]!.push(i);
    const engineeringLike = dept === departmentIndex("Engineering") || dept === departmentIndex("Security");
    roster.privileged[i] = type !== T.third_party && engineeringLike && r.chance(0.15) ? 1 : 0;
    grantWeight[i] = r.pareto(1.8, 5) * (type === T.employee ? 1 : type === T.contractor ? 0.7 : 0.5) * (roster.privileged[i] ? 1.5 : 1);
  }
  for (const list of members) {
    for (let k = 1; k < list.length; k++) roster.manager[list[k]!] = list[Math.floor((k - 1) / SPAN)]!;
    for (let k = 0; SPAN * k + 1 < list.length; k++) roster.isManager[list[k]!] = 1;
  }
  for (let i = genericStart; i < humans; i++) {
    const dept = DEPARTMENTS[roster.dept[i]!]!;
    const type = roster.type[i]!;
    if (type !== T.employee) {
      const sponsors = members[roster.dept[i]!]!.slice(0, SPAN + 1).filter((m) => m < i);
      roster.manager[i] = r.pick(sponsors);
    }
    roster.title[i] =
      type === T.third_party
        ? VENDORS[roster.vendor[i]!]!.role
        : roster.isManager[i]
          ? r.pick(dept.managerTitles)
          : roster.privileged[i]
            ? r.pick(["Site Reliability Engineer", "Platform Engineer", "Security Engineer"].filter((t) => dept.titles.includes(t)).concat(dept.titles[0]!))
            : type === T.contractor
              ? `${r.pick(dept.titles)} (contract)`
              : r.pick(dept.titles);
    if (!roster.isManager[i] && r.chance(profile.leaverRate)) {
      roster.status[i] = ST.leaver;
      const tenure = (now - roster.startedAt[i]!) / DAY;
      roster.leftAt[i] = now - r.between(1, Math.max(2, Math.min(profile.windowDays, tenure - 7))) * DAY;
      roster.keepsGrants[i] = profile.naturalDrift && r.chance(0.05) ? 1 : 0;
    } else if (r.chance(profile.suspendedRate)) roster.status[i] = ST.suspended;
  }

  // Non-human identities, owned mostly by engineers; a few owners matter more than the rest.
  const ownerPool: number[] = [];
  for (let i = 0; i < humans; i++) {
    const d = DEPT_NAMES[roster.dept[i]!];
    const techie = d === "Engineering" || d === "IT" || d === "Security";
    if (techie && roster.type[i] === T.employee && (profile.naturalDrift || roster.status[i] === ST.active)) ownerPool.push(i);
  }
  const nhiTypes = [
    [T.service_account, 40],
    [T.api_key, 20],
    [T.token, 15],
    [T.workload, 20],
    [T.ai_agent, 5],
  ] as const;
  for (const nhi of FIXED_NHIS) {
    const i = next++;
    fixed.set(nhi.key, i);
    const owner = nhi.owner === null ? -1 : fixed.get(nhi.owner)!;
    nonHuman(roster, r, i, TYPES.indexOf(nhi.type), owner, now);
    roster.displayName[i] = roster.userName[i] = nhi.name;
    roster.description[i] = nhi.description;
    fixedGrantCount.set(i, nhi.pins.length);
  }
  while (next < count) {
    const i = next++;
    const owner = profile.naturalDrift && r.chance(0.005) ? -1 : ownerPool[r.zipf(ownerPool.length, 0.7)]!;
    const type = r.weighted(nhiTypes);
    nonHuman(roster, r, i, type, owner, now);
    const system = r.pick(NHI_SYSTEMS);
    const base =
      type === T.ai_agent
        ? `agent-${r.pick(AI_AGENT_PURPOSES)}`
        : type === T.workload
          ? `${system}-${r.pick(["api", "worker", "cron", "consumer"])}`
          : `${type === T.service_account ? "svc" : type === T.api_key ? "apikey" : "token"}-${system}-${r.pick(NHI_PURPOSES)}`;
    roster.displayName[i] = roster.userName[i] = unique(base);
    roster.description[i] = `${TYPES[type]!.replace("_", " ")} for ${system} (${r.pick(NHI_PURPOSES)})`;
    if (profile.naturalDrift && r.chance(0.01)) roster.status[i] = ST.suspended;
    grantWeight[i] = 0.35 * r.pareto(2, 4);
  }

  // Grants per identity: the fixed identities get exactly their pins (plus extras), the rest
  // share what is left in proportion to a heavy-tailed weight.
  let pinned = 0;
  for (const n of fixedGrantCount.values()) pinned += n;
  if (profile.grants < pinned) throw new Error(`scale.grants must be at least ${pinned} (the fixed demo grants), got ${profile.grants}`);
  for (const i of fixedGrantCount.keys()) grantWeight[i] = 0;
  const shares = apportion(profile.grants - pinned, grantWeight);
  for (let i = 0; i < count; i++) {
    roster.grantStart[i + 1] = roster.grantStart[i]! + (fixedGrantCount.get(i) ?? 0) + shares[i + 1]! - shares[i]!;
  }
  return { roster, fixed, heads, fixedGrantCount };
}

function nonHuman(roster: Roster, r: Rng, i: number, type: number, owner: number, now: number) {
  roster.type[i] = type;
  roster.owner[i] = owner;
  roster.dept[i] = owner >= 0 ? roster.dept[owner]! : departmentIndex("IT");
  roster.startedAt[i] = now - r.between(10, 6 * 365) * DAY;
  roster.activity[i] = 3 * r.pareto(1.2, 20);
}

export function* identityRows(seed: number, roster: Roster): Generator<Row> {
  const id = (i: number) => (i < 0 ? null : uuidFor(seed, S.identity, i));
  for (let i = 0; i < roster.count; i++) {
    const type = roster.type[i]!;
    const human = isHumanType(type);
    const uuid = id(i)!;
    const left = roster.leftAt[i]!;
    yield {
      id: uuid,
      source: "demo",
      external_id: human ? `00u${uuid.replace(/-/g, "").slice(0, 17)}` : `nhi-${uuid.slice(0, 8)}`,
      kind: human ? "human" : "non_human",
      type: TYPES[type],
      display_name: roster.displayName[i],
      email: roster.email[i],
      user_name: roster.userName[i],
      status: STATUSES[roster.status[i]!],
      department: DEPT_NAMES[roster.dept[i]!],
      title: roster.title[i],
      organization: roster.vendor[i]! >= 0 ? VENDORS[roster.vendor[i]!]!.name : null,
      manager_id: id(roster.manager[i]!),
      owner_id: id(roster.owner[i]!),
      description: roster.description[i],
      started_on: day(roster.startedAt[i]!),
      left_at: Number.isNaN(left) ? null : iso(left),
      created_at: iso(roster.startedAt[i]!),
      updated_at: iso(Number.isNaN(left) ? roster.startedAt[i]! : left),
    };
  }
}

export function* identityRoleRows(seed: number, now: number, fixed: Map<string, number>): Generator<Row> {
  const id = (key: string) => uuidFor(seed, S.identity, fixed.get(key)!);
  yield { identity_id: id("alex"), role: "admin", granted_by_id: null, granted_at: iso(now - 400 * DAY) };
  yield { identity_id: id("ada"), role: "auditor", granted_by_id: id("alex"), granted_at: iso(now - 200 * DAY) };
}
