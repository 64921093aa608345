"use client";

import { useEffect, useState } from "react";

/**
 * False in the server render and until React has attached its handlers: buttons that only work
 * through JavaScript stay disabled until they can do what they say (no dead clicks).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
