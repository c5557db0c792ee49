// Prometheus metrics (prom-client) for GET /metrics. One Metrics object is made in the composition
// root (runtime.ts) with its own Registry, and handed to the few places that count: nothing here
// is module-level, so two runtimes in one process (the tests) never share figures.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Events that record a person's decision (domain/request.ts): counted once committed. */
export const DECISION_EVENTS: ReadonlySet<string> = new Set([
  'signoff.approved',
  'signoff.rejected',
  'signoff.date_proposed',
  'signoff.changes_requested',
  'counter.accepted',
  'counter.declined',
  'request.withdrawn',
  'request.overridden',
]);

export type DeliveryResult = 'delivered' | 'skipped' | 'retry' | 'permanent';

export interface OutboxGauges {
  readonly pending: number;
  readonly oldestPendingAgeSeconds: number;
  readonly failed: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly outboxPending: Gauge;
  private readonly outboxOldest: Gauge;
  private readonly outboxFailed: Gauge;
  private readonly deliveries: Counter<'kind' | 'result'>;
  private readonly ackSeconds: Histogram<'listener'>;
  private readonly decisions: Counter<'decision'>;
  private readonly schedulerRuns: Counter<'task' | 'result'>;
  private readonly digestRuns: Counter<'result'>;
  private readOutbox: (() => OutboxGauges) | null = null;

  constructor() {
    const registers = [this.registry];
    const outbox = () => this.readOutbox?.() ?? null;
    this.outboxPending = new Gauge({
      name: 'commit_gate_outbox_pending',
      help: 'Deliveries waiting in the outbox.',
      registers,
      collect: () => {
        const o = outbox();
        if (o) {
          this.outboxPending.set(o.pending);
          this.outboxOldest.set(o.oldestPendingAgeSeconds);
          this.outboxFailed.set(o.failed);
        }
      },
    });
    this.outboxOldest = new Gauge({
      name: 'commit_gate_outbox_oldest_pending_age_seconds',
      help: 'How long the oldest waiting delivery has waited (0 when none).',
      registers,
    });
    this.outboxFailed = new Gauge({
      name: 'commit_gate_outbox_failed',
      help: 'Deliveries given up on (a person was told).',
      registers,
    });
    this.deliveries = new Counter({
      name: 'commit_gate_deliveries_total',
      help: 'Outbox delivery attempts by notification kind and result.',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'commit_gate_ack_duration_seconds',
      help: 'From a Slack request reaching Bolt to its ack, by listener (Slack allows 3 s).',
      labelNames: ['listener'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3],
      registers,
    });
    this.decisions = new Counter({
      name: 'commit_gate_decisions_total',
      help: 'Decisions committed, by event type.',
      labelNames: ['decision'],
      registers,
    });
    this.schedulerRuns = new Counter({
      name: 'commit_gate_scheduler_runs_total',
      help: 'Scheduled task runs by task and result.',
      labelNames: ['task', 'result'],
      registers,
    });
    this.digestRuns = new Counter({
      name: 'commit_gate_digest_runs_total',
      help: 'Weekly digest posts by result.',
      labelNames: ['result'],
      registers,
    });
  }

  /** Where the outbox gauges are read from at each scrape. */
  observeOutbox(read: () => OutboxGauges): void {
    this.readOutbox = read;
  }

  delivery(kind: string, result: DeliveryResult): void {
    this.deliveries.inc({ kind, result });
  }

  ack(listener: string, seconds: number): void {
    this.ackSeconds.observe({ listener }, seconds);
  }

  committedEvents(types: readonly string[]): void {
    for (const type of types) if (DECISION_EVENTS.has(type)) this.decisions.inc({ decision: type });
  }

  schedulerRun(task: string, result: 'ok' | 'error'): void {
    this.schedulerRuns.inc({ task, result });
  }

  digestRun(result: 'ok' | 'error'): void {
    this.digestRuns.inc({ result });
  }

  /** GET /metrics in the Prometheus text format. */
  readonly handler = (_req: IncomingMessage, res: ServerResponse): void => {
    this.registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': this.registry.contentType });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}
