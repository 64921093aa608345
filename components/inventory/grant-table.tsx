import Link from "next/link";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { GrantKindBadge, GrantStatusBadge, LiveStateBadge, PrivilegeBadges } from "./grant-badges";
import { IdentityStatusBadge } from "./identity-badges";

export interface GrantTableRow {
  id: string;
  kind: "standing" | "time_bound" | "eligible";
  status: string;
  /** The latest revocation's state, when the grant is being or has been revoked. */
  revocationStatus?: string | null;
  liveState?: string;
  grantedAt?: Date;
  expiresAt: Date | null;
  nextReviewDue?: Date | null;
  lastUsedAt?: Date | null;
  identityId?: string;
  identityName?: string;
  identityStatus?: string;
  applicationId: string;
  applicationName: string;
  entitlementName: string;
  privileged: boolean;
  breakGlass: boolean;
}

const headers = {
  identity: "Identity",
  application: "Application",
  entitlement: "Entitlement",
  kind: "Kind",
  status: "Status",
  live: "In target",
  granted: "Granted",
  expires: "Expires",
  nextReview: "Next review",
  lastUsed: "Last used",
} as const;

export type GrantColumn = keyof typeof headers;

const link = "text-blue-800 underline";

/** Every list of grants in Accord, so a grant reads the same wherever it appears. */
export function GrantTable({ caption, rows, columns, now, empty }: { caption: string; rows: GrantTableRow[]; columns: GrantColumn[]; now?: Date; empty: string }) {
  const cell: Record<GrantColumn, (g: GrantTableRow) => React.ReactNode> = {
    identity: (g) => (
      <>
        <Link className={link} href={`/identities/${g.identityId}`}>
          {g.identityName}
        </Link>{" "}
        {g.identityStatus && g.identityStatus !== "active" ? <IdentityStatusBadge status={g.identityStatus} /> : null}
      </>
    ),
    application: (g) => (
      <Link className={link} href={`/applications/${g.applicationId}`}>
        {g.applicationName}
      </Link>
    ),
    entitlement: (g) => (
      <>
        <Link className={link} href={`/grants/${g.id}`}>
          {g.entitlementName}
        </Link>{" "}
        <PrivilegeBadges privileged={g.privileged} breakGlass={g.breakGlass} />
      </>
    ),
    kind: (g) => <GrantKindBadge kind={g.kind} />,
    status: (g) => <GrantStatusBadge status={g.status} revocationStatus={g.revocationStatus} />,
    live: (g) => <LiveStateBadge state={g.liveState ?? "unknown"} />,
    granted: (g) => <Time value={g.grantedAt} dateOnly />,
    expires: (g) => <Time value={g.expiresAt} now={now} />,
    nextReview: (g) => <Time value={g.nextReviewDue} dateOnly />,
    lastUsed: (g) => <Time value={g.lastUsedAt} now={now} />,
  };
  return (
    <Table caption={caption} captionHidden headers={columns.map((c) => headers[c])}>
      {rows.length === 0 ? <EmptyRow colSpan={columns.length}>{empty}</EmptyRow> : null}
      {rows.map((g) => (
        <tr key={g.id}>
          {columns.map((c) => (
            <Td key={c}>{cell[c](g)}</Td>
          ))}
        </tr>
      ))}
    </Table>
  );
}
