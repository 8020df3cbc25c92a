/**
 * The "SQAI deliveries" section's server state: the web trigger URL and whether a signing secret is
 * set, and creating / rotating the secret. A new secret lives only in this hook's state, to be
 * shown once; hiding it (or leaving the page) drops it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { RESOLVERS } from '../../../src/api';
import type { DeliverySettingsDto, ErrorDto, RotatedDeliverySecretDto } from '../../../src/api';
import { callResolver } from '../../common/src/resolver';

export type DeliveryLoad =
  | { status: 'loading' }
  | { status: 'ready'; settings: DeliverySettingsDto }
  | { status: 'failed'; error: ErrorDto };

export function useDelivery() {
  const [load, setLoad] = useState<DeliveryLoad>({ status: 'loading' });
  const [rotating, setRotating] = useState(false);
  const [rotateError, setRotateError] = useState<ErrorDto | null>(null);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const fetchSettings = useCallback(async (): Promise<void> => {
    const result = await callResolver<DeliverySettingsDto>(RESOLVERS.getDeliverySettings, {});
    if (!mounted.current) return;
    setLoad(
      result.ok ? { status: 'ready', settings: result.data } : { status: 'failed', error: result.error },
    );
  }, []);

  useEffect(() => {
    void fetchSettings();
  }, [fetchSettings]);

  const reload = useCallback(async (): Promise<void> => {
    setLoad({ status: 'loading' });
    await fetchSettings();
  }, [fetchSettings]);

  const rotate = useCallback(async (): Promise<void> => {
    setRotating(true);
    setRotateError(null);
    setNewSecret(null);
    try {
      const result = await callResolver<RotatedDeliverySecretDto>(RESOLVERS.rotateDeliverySecret, {});
      if (!mounted.current) return;
      if (!result.ok) {
        setRotateError(result.error);
        return;
      }
      setNewSecret(result.data.secret);
      setLoad({ status: 'ready', settings: { url: result.data.url, secret: 'set' } });
    } finally {
      if (mounted.current) setRotating(false);
    }
  }, []);

  const hideSecret = useCallback(() => setNewSecret(null), []);

  return { load, rotating, rotateError, newSecret, reload, rotate, hideSecret };
}
