/**
 * The settings page's server state: the SettingsView and the latest connection report (one cached
 * read), and the resolver calls that change them (mutations). FORBIDDEN from any call turns the whole
 * page into the "only project admins" message; other failures are returned / kept for the caller to show.
 */
import { permissions } from '@forge/bridge';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { RESOLVERS } from '../../../src/api';
import type {
  ConnectionReport,
  ErrorDto,
  ResolverResult,
  SaveSettingsInput,
  SaveSettingsResult,
  SettingsView,
} from '../../../src/api';
import { updateCachedQuery } from '../../common/src/data/cache';
import { callResolver, fetchResolver } from '../../common/src/resolver';
import { errorDtoOf } from '../../common/src/result';
import { egressRequestFor } from './connection';

export type LoadState =
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'forbidden'; error: ErrorDto }
  | { status: 'failed'; error: ErrorDto };

export type Busy = 'saving' | 'testing' | 'disconnecting' | 'approving' | null;

/**
 * What the last button in the form row did, shown (and announced) beside that row: settings saved or
 * the connection tested (with whether every check passed), or the project disconnected.
 */
export type ActionResult =
  | { kind: 'saved' | 'tested'; connectionOk: boolean; at: string }
  | { kind: 'disconnected'; projectKey: string };

export interface EgressOutcome {
  ok: boolean;
  host: string;
  message?: string;
}

/** What the page shows: the view, and the connection report (the stored one until a check runs). */
interface SettingsPage {
  view: SettingsView;
  report: ConnectionReport | null;
}

const SETTINGS_KEY = ['settings'] as const;

const pageOf = (view: SettingsView): SettingsPage => ({ view, report: view.lastCheck });

/** Approving a host: Forge's answer, then the view and a connection check read again. */
type Approval =
  | { approved: false; message: string }
  | { approved: true; view: ResolverResult<SettingsView>; report: ResolverResult<ConnectionReport> };

async function approve(host: string): Promise<Approval> {
  try {
    await permissions.egress.set(egressRequestFor(host));
  } catch (error) {
    return { approved: false, message: error instanceof Error ? error.message : String(error) };
  }
  const [view, report] = await Promise.all([
    callResolver<SettingsView>(RESOLVERS.getSettings, {}),
    callResolver<ConnectionReport>(RESOLVERS.testConnection, {}),
  ]);
  return { approved: true, view, report };
}

export function useSettings() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: async () => pageOf(await fetchResolver<SettingsView>(RESOLVERS.getSettings)),
  });
  const [forbidden, setForbidden] = useState<ErrorDto | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [actionError, setActionError] = useState<ErrorDto | null>(null);
  const [egressOutcome, setEgressOutcome] = useState<EgressOutcome | null>(null);

  /** FORBIDDEN ends the page; anything else is the caller's to show. */
  const noteError = useCallback((error: unknown): ErrorDto => {
    const dto = errorDtoOf(error);
    if (dto.code === 'FORBIDDEN') setForbidden(dto);
    return dto;
  }, []);
  const updatePage = useCallback(
    (update: (page: SettingsPage) => SettingsPage) => updateCachedQuery(client, SETTINGS_KEY, update),
    [client],
  );

  const saving = useMutation({
    mutationFn: (input: SaveSettingsInput) =>
      fetchResolver<SaveSettingsResult>(RESOLVERS.saveSettings, input),
    onSuccess: (saved) => updatePage(() => ({ view: saved.view, report: saved.report })),
  });
  const testing = useMutation({
    mutationFn: () => fetchResolver<ConnectionReport>(RESOLVERS.testConnection),
    onSuccess: (report) => updatePage((page) => ({ ...page, report })),
  });
  const disconnecting = useMutation({
    mutationFn: () => fetchResolver<SettingsView>(RESOLVERS.disconnect),
    onSuccess: (view) => updatePage(() => pageOf(view)),
  });
  const approving = useMutation({
    mutationFn: approve,
    onSuccess: async (approval) => {
      if (!approval.approved) return;
      const { view, report } = approval;
      await updatePage((page) => ({
        view: view.ok ? view.data : page.view,
        report: report.ok ? report.data : page.report,
      }));
    },
  });

  const { mutateAsync: saveCall } = saving;
  const save = useCallback(
    async (input: SaveSettingsInput): Promise<ResolverResult<SaveSettingsResult>> => {
      setResult(null);
      setActionError(null);
      setEgressOutcome(null);
      try {
        const data = await saveCall(input);
        setResult({ kind: 'saved', connectionOk: data.report.ok, at: data.report.checkedAt });
        return { ok: true, data };
      } catch (failure) {
        const error = noteError(failure);
        if (error.code !== 'VALIDATION') setActionError(error);
        return { ok: false, error };
      }
    },
    [saveCall, noteError],
  );

  const { mutateAsync: testCall } = testing;
  const testConnection = useCallback(async (): Promise<void> => {
    setActionError(null);
    setResult(null);
    try {
      const report = await testCall();
      setResult({ kind: 'tested', connectionOk: report.ok, at: report.checkedAt });
    } catch (failure) {
      setActionError(noteError(failure));
    }
  }, [testCall, noteError]);

  const { mutateAsync: disconnectCall } = disconnecting;
  const disconnect = useCallback(async (): Promise<SettingsView | null> => {
    setActionError(null);
    setResult(null);
    setEgressOutcome(null);
    try {
      const view = await disconnectCall();
      setResult({ kind: 'disconnected', projectKey: view.project.key });
      return view;
    } catch (failure) {
      setActionError(noteError(failure));
      return null;
    }
  }, [disconnectCall, noteError]);

  /**
   * Customer-managed egress: asks Forge (a Jira admin confirms) to let the backend fetch `host`,
   * then re-reads the view and re-runs the connection check.
   */
  const { mutateAsync: approveCall } = approving;
  const approveEgress = useCallback(
    async (host: string): Promise<void> => {
      setActionError(null);
      setEgressOutcome(null);
      const approval = await approveCall(host);
      if (!approval.approved) {
        setEgressOutcome({ ok: false, host, message: approval.message });
        return;
      }
      setEgressOutcome({ ok: true, host });
      if (!approval.view.ok) noteError(approval.view.error);
      if (!approval.report.ok) setActionError(noteError(approval.report.error));
    },
    [approveCall, noteError],
  );

  const dismissResult = useCallback(() => setResult(null), []);

  const queryError = query.isError ? errorDtoOf(query.error) : null;
  const forbiddenError = forbidden ?? (queryError?.code === 'FORBIDDEN' ? queryError : null);
  const load: LoadState = forbiddenError
    ? { status: 'forbidden', error: forbiddenError }
    : queryError
      ? { status: 'failed', error: queryError }
      : query.isPending
        ? { status: 'loading' }
        : { status: 'ready' };
  const busy: Busy = saving.isPending
    ? 'saving'
    : testing.isPending
      ? 'testing'
      : disconnecting.isPending
        ? 'disconnecting'
        : approving.isPending
          ? 'approving'
          : null;

  return {
    load,
    view: query.data?.view ?? null,
    report: query.data?.report ?? null,
    busy,
    result,
    actionError,
    egressOutcome,
    save,
    testConnection,
    disconnect,
    approveEgress,
    dismissResult,
  };
}

export type SettingsController = ReturnType<typeof useSettings>;
