/**
 * What every simulator checked against an OpenAPI document shares (the Jira and Confluence
 * simulators): its injected faults, its request log, the requests it answered, the contract
 * violations it found, its added latency, and whether it validates at all.
 */
import type { OpenApiDocument } from './contracts';
import { FaultInjector, RequestLog, type FaultSpec } from './sim-kit';

export abstract class SpecCheckedSimulator<RequestRecord> {
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  readonly requests: RequestRecord[] = [];
  readonly violations: string[] = [];
  /** Added to every request (benchmarks, timeout tests). */
  latencyMs: number;

  /** `spec`: the OpenAPI document requests and answers are checked against (null: not checked). */
  protected constructor(
    protected readonly spec: OpenApiDocument | null,
    latencyMs = 0,
  ) {
    this.latencyMs = latencyMs;
  }

  /** Whether requests and responses are checked against the OpenAPI spec. */
  get validating(): boolean {
    return this.spec !== null;
  }

  failNext(spec: FaultSpec): void {
    this.faults.failNext(spec);
  }

  /** Forgets recorded requests, violations and log entries (not the store, not pending faults). */
  clearRecords(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.log.clear();
  }
}
