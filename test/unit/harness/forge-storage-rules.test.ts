import { MemoryKeyValueStore, MemorySecretStore } from '../../harness/local-platform';

describe('the in-memory stores refuse what Forge storage refuses', () => {
  it('keys: 2–500 characters of the allowed set', async () => {
    const kvs = new MemoryKeyValueStore();
    await kvs.set('sync:10000:10101', { ok: true });
    await kvs.set('gen:10000:10101#2 a-b.c_d', 1);
    await expect(kvs.set('x', 1)).rejects.toThrow(/KEY_TOO_SHORT/);
    await expect(kvs.set('k'.repeat(501), 1)).rejects.toThrow(/KEY_TOO_LONG/);
    await expect(kvs.set('sync/10000', 1)).rejects.toThrow(/INVALID_KEY/);
    await expect(kvs.set('   ', 1)).rejects.toThrow(/INVALID_KEY/);
    await expect(new MemorySecretStore().setSecret('secret?x', 'v')).rejects.toThrow(/INVALID_KEY/);
  });

  it('values: at most 240 KiB and 32 levels deep; nothing is written otherwise', async () => {
    const kvs = new MemoryKeyValueStore();
    await kvs.set('fits', 'x'.repeat(240 * 1024 - 2));
    await expect(kvs.set('big', 'x'.repeat(240 * 1024))).rejects.toThrow(/MAX_SIZE/);
    await expect(kvs.set('wide', '中'.repeat(90_000))).rejects.toThrow(/MAX_SIZE/);
    let deep: unknown = 'leaf';
    for (let level = 0; level < 33; level += 1) deep = { deep };
    await expect(kvs.set('deep', deep)).rejects.toThrow(/MAX_DEPTH/);
    expect([...kvs.data.keys()]).toEqual(['fits']);
  });
});
