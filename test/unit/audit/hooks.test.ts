/**
 * The audit trail's recording hooks through the REAL handlers: a panel send, a backfill's batches and
 * a delivery each record exactly one entry per document (delivery); a failure to record never fails
 * the send; the resolvers answer project admins only, with field errors for bad filters; nothing
 * secret is ever in an entry (the suite's secret scan watches every response).
 */
import type { AuditExportDto, AuditTrailDto, SendToSqaiResult, SyncStatusDto } from '../../../src/api';
import { auditPrefix } from '../../../src/audit/store';
import { deliveryWebtrigger } from '../../../src/index';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import {
  deliveryRequest,
  deliverySetup,
  DEMO_INSTALL,
  generationDelivery,
} from '../../harness/scenarios/delivery';
import { createWorld, DEMO, type World } from '../../harness/world';

const auditValues = (world: World) =>
  [...world.platform.kvs.data.entries()]
    .filter(([key]) => key.startsWith(auditPrefix(DEMO.project.id)))
    .map(([, value]) => value as { requirement: { key: string }; actor: { kind: string }; outcome: string });

describeWithContracts('audit trail hooks and resolvers', () => {
  it('a panel send records one entry (who, DEMO-1, sent, pushed), an unchanged one another, listed newest first', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    world.platform.queue.discardHeld();
    const before = auditValues(world).length;
    const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
    expect(sent.outcome).toBe('pushed');
    expect(auditValues(world).length - before).toBe(1);
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
    const trail = data(await world.invoke<AuditTrailDto>('getAuditTrail', { issueKey: 'demo-1' }));
    expect(trail.retentionDays).toBe(90);
    expect(trail.entries.map((e) => e.outcome)).toEqual(['unchanged', 'pushed']);
    const [, pushed] = trail.entries;
    expect(pushed).toMatchObject({
      direction: 'sent',
      actor: { kind: 'user', accountId: DEMO.admin },
      requirement: { key: 'DEMO-1' },
      host: expect.any(String) as string,
    });
    expect(pushed?.bytes).toBeGreaterThan(100);
    expect(pushed?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(pushed?.sources).toContain('description');
  });

  it('a backfill records one entry per document it pushed, as the schedule', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain();
    const pushes = world.sqai.log.entries.filter((entry) => entry.path === '/v1/contexts:batch');
    expect(pushes.length).toBeGreaterThan(0);
    const entries = auditValues(world);
    const status = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
    const pushedDocs = status.backfill?.pushed ?? 0;
    expect(pushedDocs).toBeGreaterThan(0);
    expect(entries).toHaveLength(pushedDocs);
    expect(entries.every((e) => e.actor.kind === 'schedule' && e.outcome === 'pushed')).toBe(true);
    expect(new Set(entries.map((e) => e.requirement.key)).size).toBe(entries.length);
  });

  it('a failure to record never fails the send (logged, the push stands)', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    world.platform.queue.discardHeld();
    const set = world.platform.kvs.set.bind(world.platform.kvs);
    world.platform.kvs.set = (key, value) =>
      key.startsWith('audit:') ? Promise.reject(new Error('KVS unavailable')) : set(key, value);
    const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
    expect(sent.outcome).toBe('pushed');
    expect(auditValues(world)).toHaveLength(0);
    expect(
      world.platform.log.lines.some((line) => line.includes('Could not record an audit trail entry')),
    ).toBe(true);
  });

  it('a delivery records one entry (received, from SQAI) with its outcome', async () => {
    const s = await deliverySetup();
    const before = auditValues(s.world).length;
    const response = await deliveryWebtrigger(
      deliveryRequest(generationDelivery(s), s.secret, { id: 'msg_audit01' }),
      DEMO_INSTALL,
    );
    expect(response.statusCode).toBe(202);
    const after = auditValues(s.world);
    expect(after.length - before).toBe(1);
    const trail = data(await s.world.invoke<AuditTrailDto>('getAuditTrail', { direction: 'received' }));
    expect(trail.entries).toHaveLength(1);
    expect(trail.entries[0]).toMatchObject({
      direction: 'received',
      actor: { kind: 'sqai' },
      requirement: { key: 'DEMO-3' },
      sources: ['generatedTests'],
      outcome: 'accepted',
    });
  });

  it('resolvers: project admins only; strict filters with field errors; export as CSV and JSON', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    world.platform.queue.discardHeld();
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
    expect(failure(await world.invoke('getAuditTrail', {}, DEMO.user)).code).toBe('FORBIDDEN');
    expect(failure(await world.invoke('exportAuditTrail', { format: 'csv' }, DEMO.user)).code).toBe(
      'FORBIDDEN',
    );
    const bad = failure(
      await world.invoke('getAuditTrail', { from: '2026-02-30', to: '2026-1-1', issueKey: 'x', limit: 0 }),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['from', 'issueKey', 'limit', 'to']);
    const order = failure(await world.invoke('getAuditTrail', { from: '2026-02-02', to: '2026-02-01' }));
    expect(order.fieldErrors).toEqual({ to: 'The first day must not be after the last day.' });
    expect(failure(await world.invoke('exportAuditTrail', { format: 'xml' })).fieldErrors).toHaveProperty(
      'format',
    );
    expect(failure(await world.invoke('getAuditTrail', { extra: 1 })).code).toBe('VALIDATION');
    const csv = data(
      await world.invoke<AuditExportDto>('exportAuditTrail', { format: 'csv', issueKey: 'DEMO-1' }),
    );
    expect(csv.entries).toBe(1);
    expect(csv.content.split('\r\n')[1]).toContain('"DEMO-1"');
    const json = data(await world.invoke<AuditExportDto>('exportAuditTrail', { format: 'json' }));
    expect((JSON.parse(json.content) as { entries: unknown[] }).entries).toHaveLength(1);
  });
});
