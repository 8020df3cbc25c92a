/**
 * The settings page's server state: the SettingsView, the latest connection report, and the
 * resolver calls that change them. FORBIDDEN from any call turns the whole page into the
 * "only project admins" message; other failures are returned / kept for the caller to show.
 */
import { permissions } from '@forge/bridge';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RESOLVERS } from '../../../src/api';
import type {
  ConnectionReport,
  ErrorDto,
  ResolverResult,
  SaveSettingsInput,
  SaveSettingsResult,
  SettingsView,
} from '../../../src/api';
import { callResolver } from '../../common/src/resolver';
import { egressRequestFor } from './connection';

export type LoadState =
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'forbidden'; error: ErrorDto }
  | { status: 'failed'; error: ErrorDto };

export type Busy = 'saving' | 'testing' | 'disconnecting' | 'approving' | null;

export interface SaveOutcome {
  connectionOk: boolean;
  at: string;
}

export interface EgressOutcome {
  ok: boolean;
  host: string;
  message?: string;
}

export function useSettings() {
  const [load, setLoad] = useState<LoadState>({ status: 'loading' });
  const [view, setView] = useState<SettingsView | null>(null);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [saveOutcome, setSaveOutcome] = useState<SaveOutcome | null>(null);
  const [actionError, setActionError] = useState<ErrorDto | null>(null);
  const [egressOutcome, setEgressOutcome] = useState<EgressOutcome | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  /** Common handling: FORBIDDEN ends the page; anything else is the caller's to show. */
  const guard = useCallback(<T>(result: ResolverResult<T>): ResolverResult<T> => {
    if (!result.ok && result.error.code === 'FORBIDDEN')
      setLoad({ status: 'forbidden', error: result.error });
    return result;
  }, []);

  const reload = useCallback(async (): Promise<SettingsView | null> => {
    const result = guard(await callResolver<SettingsView>(RESOLVERS.getSettings, {}));
    if (!mounted.current) return null;
    if (!result.ok) {
      if (result.error.code !== 'FORBIDDEN') setLoad({ status: 'failed', error: result.error });
      return null;
    }
    setView(result.data);
    setReport(result.data.lastCheck);
    setLoad({ status: 'ready' });
    return result.data;
  }, [guard]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const save = useCallback(
    async (input: SaveSettingsInput): Promise<ResolverResult<SaveSettingsResult>> => {
      setBusy('saving');
      setSaveOutcome(null);
      setActionError(null);
      setEgressOutcome(null);
      try {
        const result = guard(await callResolver<SaveSettingsResult>(RESOLVERS.saveSettings, input));
        if (result.ok) {
          setView(result.data.view);
          setReport(result.data.report);
          setSaveOutcome({ connectionOk: result.data.report.ok, at: result.data.report.checkedAt });
        } else if (result.error.code !== 'VALIDATION') {
          setActionError(result.error);
        }
        return result;
      } finally {
        if (mounted.current) setBusy(null);
      }
    },
    [guard],
  );

  const testConnection = useCallback(async (): Promise<void> => {
    setBusy('testing');
    setActionError(null);
    setSaveOutcome(null);
    try {
      const result = guard(await callResolver<ConnectionReport>(RESOLVERS.testConnection, {}));
      if (result.ok) setReport(result.data);
      else setActionError(result.error);
    } finally {
      if (mounted.current) setBusy(null);
    }
  }, [guard]);

  const disconnect = useCallback(async (): Promise<SettingsView | null> => {
    setBusy('disconnecting');
    setActionError(null);
    setSaveOutcome(null);
    setEgressOutcome(null);
    try {
      const result = guard(await callResolver<SettingsView>(RESOLVERS.disconnect, {}));
      if (!result.ok) {
        setActionError(result.error);
        return null;
      }
      setView(result.data);
      setReport(result.data.lastCheck);
      return result.data;
    } finally {
      if (mounted.current) setBusy(null);
    }
  }, [guard]);

  /**
   * Customer-managed egress: asks Forge (a Jira admin confirms) to let the backend fetch `host`,
   * then re-reads the view and re-runs the connection check.
   */
  const approveEgress = useCallback(
    async (host: string): Promise<void> => {
      setBusy('approving');
      setActionError(null);
      setEgressOutcome(null);
      try {
        try {
          await permissions.egress.set(egressRequestFor(host));
        } catch (error) {
          setEgressOutcome({
            ok: false,
            host,
            message: error instanceof Error ? error.message : String(error),
          });
          return;
        }
        setEgressOutcome({ ok: true, host });
        const [viewResult, reportResult] = await Promise.all([
          callResolver<SettingsView>(RESOLVERS.getSettings, {}),
          callResolver<ConnectionReport>(RESOLVERS.testConnection, {}),
        ]);
        guard(viewResult);
        guard(reportResult);
        if (viewResult.ok) setView(viewResult.data);
        if (reportResult.ok) setReport(reportResult.data);
        else setActionError(reportResult.error);
      } finally {
        if (mounted.current) setBusy(null);
      }
    },
    [guard],
  );

  const dismissSaveOutcome = useCallback(() => setSaveOutcome(null), []);

  return {
    load,
    view,
    report,
    busy,
    saveOutcome,
    actionError,
    egressOutcome,
    reload,
    save,
    testConnection,
    disconnect,
    approveEgress,
    dismissSaveOutcome,
  };
}

export type SettingsController = ReturnType<typeof useSettings>;
