/**
 * The "SQAI deliveries" section's server state: the web trigger URL and whether a signing secret is
 * set, and creating / rotating the secret. A new secret lives only in the rotation's answer, to be
 * shown once; hiding it (or leaving the page) drops it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RESOLVERS } from '../../../src/api';
import type { DeliverySettingsDto, RotatedDeliverySecretDto } from '../../../src/api';
import { updateCachedQuery } from '../../common/src/data/cache';
import { loadOf } from '../../common/src/data/load';
import { fetchResolver } from '../../common/src/resolver';
import { errorDtoOf } from '../../common/src/result';

const DELIVERY_KEY = ['deliverySettings'] as const;

export function useDelivery() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: DELIVERY_KEY,
    queryFn: () => fetchResolver<DeliverySettingsDto>(RESOLVERS.getDeliverySettings),
  });
  const rotation = useMutation({
    mutationFn: () => fetchResolver<RotatedDeliverySecretDto>(RESOLVERS.rotateDeliverySecret),
    onSuccess: (rotated) =>
      updateCachedQuery<DeliverySettingsDto>(client, DELIVERY_KEY, () => ({
        url: rotated.url,
        secret: 'set',
      })),
  });

  return {
    load: loadOf(query),
    rotating: rotation.isPending,
    rotateError: rotation.isError ? errorDtoOf(rotation.error) : null,
    newSecret: rotation.data?.secret ?? null,
    reload: () => client.resetQueries({ queryKey: DELIVERY_KEY }),
    rotate: () => rotation.mutate(),
    hideSecret: rotation.reset,
  };
}

export type DeliveryController = ReturnType<typeof useDelivery>;
