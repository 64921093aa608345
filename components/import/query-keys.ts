/** react-query keys of the import screens. */
export const importQueryKeys = {
  progress: (batchId: string) => ["import", "progress", batchId] as const,
};
