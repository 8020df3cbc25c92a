/**
 * Forge ends an invocation at its time limit wherever it happens to be (docs/forge-fidelity.md,
 * rule 6): a resolver cut off between two storage writes has made the first and not the second.
 * `cutOffAfterWrites` lets the next `writes` storage writes (KVS set/delete, secret set/delete)
 * through and fails every one after them, until `restore()`.
 */
import type { KeyValueStore, SecretStore } from '../../src/platform/ports';

export interface CutOff {
  /** Whether a write was refused (the invocation was "ended" before it finished). */
  readonly cut: boolean;
  restore(): void;
}

export function cutOffAfterWrites(
  stores: { kvs: KeyValueStore; secrets: SecretStore },
  writes: number,
): CutOff {
  let left = writes;
  let cut = false;
  const gate =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (left <= 0) {
        cut = true;
        return Promise.reject(new Error('Forge ended the invocation (25 s)'));
      }
      left -= 1;
      return write(...args);
    };
  const { kvs, secrets } = stores;
  const original = {
    set: kvs.set,
    delete: kvs.delete,
    setSecret: secrets.setSecret,
    deleteSecret: secrets.deleteSecret,
  };
  kvs.set = gate(original.set.bind(kvs));
  kvs.delete = gate(original.delete.bind(kvs));
  secrets.setSecret = gate(original.setSecret.bind(secrets));
  secrets.deleteSecret = gate(original.deleteSecret.bind(secrets));
  return {
    get cut() {
      return cut;
    },
    restore() {
      kvs.set = original.set;
      kvs.delete = original.delete;
      secrets.setSecret = original.setSecret;
      secrets.deleteSecret = original.deleteSecret;
    },
  };
}
