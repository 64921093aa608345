/** react-query keys of the campaign screens. */
export const campaignQueryKeys = {
  all: ["campaigns"] as const,
  preview: (scope: unknown) => ["campaigns", "preview", scope] as const,
  launch: (campaignId: string) => ["campaigns", "launch", campaignId] as const,
};
