import type { Metadata } from "next";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { mayAdminister } from "@/lib/domain/access/rules";
import { systemDeps } from "@/lib/domain/deps";
import { listApiTokens } from "@/lib/domain/tokens/api-tokens";
import { orNotFound } from "@/lib/pages";
import { ActionForm } from "@/components/ui/action-form";
import { Badge } from "@/components/ui/badge";
import { secondaryButtonClass } from "@/components/ui/field";
import { PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { revokeToken } from "./actions";
import { CreateTokenForm } from "./_components/create-token-form";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor();
  const deps = systemDeps(db());
  const tokens = await orNotFound(listApiTokens(deps, actor));
  const admin = mayAdminister(actor);
  const now = deps.now();
  return (
    <>
      <PageHeader title="API tokens" subtitle="Bearer tokens for machine clients. Only a hash is stored; every use is recorded." />
      {admin ? (
        <Section title="Create a token">
          <CreateTokenForm />
        </Section>
      ) : null}
      <Section title="Tokens">
        <Table caption="API tokens" captionHidden headers={["Name", "Prefix", "Scopes", "Source", "Created", "Last used", "Expires", "State", ...(admin ? ["Revoke"] : [])]}>
          {tokens.length === 0 ? <EmptyRow colSpan={admin ? 9 : 8}>No tokens yet.</EmptyRow> : null}
          {tokens.map((t) => (
            <tr key={t.id}>
              <Td>{t.name}</Td>
              <Td className="font-mono">{t.prefix}…</Td>
              <Td>{t.scopes.join(", ")}</Td>
              <Td>{t.source ?? "—"}</Td>
              <Td>
                <Time value={t.createdAt} dateOnly /> by {t.createdByName ?? "—"}
              </Td>
              <Td>
                <Time value={t.lastUsedAt} now={now} />
              </Td>
              <Td>
                <Time value={t.expiresAt} dateOnly />
              </Td>
              <Td>{t.revokedAt ? <Badge tone="neutral">Revoked</Badge> : t.expiresAt && t.expiresAt <= now ? <Badge tone="warn">Expired</Badge> : <Badge tone="good">Active</Badge>}</Td>
              {admin ? (
                <Td>
                  {t.revokedAt ? null : (
                    <ActionForm action={revokeToken} successMessage="Revoked.">
                      <input type="hidden" name="tokenId" value={t.id} />
                      <button type="submit" className={secondaryButtonClass}>
                        Revoke {t.name}
                      </button>
                    </ActionForm>
                  )}
                </Td>
              ) : null}
            </tr>
          ))}
        </Table>
      </Section>
    </>
  );
}
