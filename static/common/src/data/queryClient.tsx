/**
 * The one react-query set-up both Custom UIs mount (main.tsx). Reads happen when a screen mounts and
 * when it asks (polling, "Refresh", after an action), as before react-query: no refetch on focus or
 * reconnect, no silent retries of a first read, and calls are never held back as "offline" (the
 * bridge reports its own failures).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        networkMode: 'always',
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/** Gives the app its QueryClient (one per page). */
export function DataProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
