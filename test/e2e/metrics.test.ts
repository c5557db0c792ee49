// GET /metrics, the Prometheus text format, on the real app over HTTP and in Socket Mode: every
// family is exposed, and the figures move with what happens (a submission, a decision, a tick).
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';

type Block = { elements?: { action_id?: string; value?: string }[] };

let h: Harness;
afterEach(async () => {
  await h.stop();
});

async function scrape(): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${h.runtime.port}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** The value of one sample, e.g. `commit_gate_outbox_pending` or `x_total{a="b"}`; 0 if absent. */
function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const FAMILIES = [
  'commit_gate_outbox_pending gauge',
  'commit_gate_outbox_oldest_pending_age_seconds gauge',
  'commit_gate_outbox_failed gauge',
  'commit_gate_deliveries_total counter',
  'commit_gate_ack_duration_seconds histogram',
  'commit_gate_decisions_total counter',
  'commit_gate_scheduler_runs_total counter',
  'commit_gate_digest_runs_total counter',
];

describe('GET /metrics', () => {
  it('when a request is submitted and approved then acks, deliveries, decisions and scheduler runs move', async () => {
    h = await Harness.start();
    const before = await scrape();
    expect(before.status).toBe(200);
    expect(before.type).toContain('text/plain');
    for (const family of FAMILIES) expect(before.body).toContain(`# TYPE ${family}`);
    expect(sample(before.body, 'commit_gate_outbox_pending')).toBe(0);

    await h.submitRequest('U0SELLER', { productLineId: 'gadgets', value: '10000' });
    const [ask] = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && typeof c.args.thread_ts === 'string',
    );
    await h.runtime.dispatcher.drain();
    if (!ask) throw new Error('no sign-off message');
    const blocks = ask.args.blocks as Block[];
    const value =
      blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.approve)?.value ?? '';
    await h.click('U0OPS1', ACTIONS.approve, value, (ask.response as { ts: string }).ts);
    await h.runtime.dispatcher.drain();
    await h.runtime.scheduler.tick();

    const after = (await scrape()).body;
    expect(sample(after, 'commit_gate_ack_duration_seconds_count{listener="view:request_modal"}')).toBe(1);
    expect(
      sample(after, `commit_gate_ack_duration_seconds_count{listener="action:${ACTIONS.approve}"}`),
    ).toBe(1);
    expect(sample(after, 'commit_gate_decisions_total{decision="signoff.approved"}')).toBe(1);
    expect(sample(after, 'commit_gate_deliveries_total{kind="parent.post",result="delivered"}')).toBe(1);
    expect(sample(after, 'commit_gate_deliveries_total{kind="signoff.post",result="delivered"}')).toBe(1);
    expect(sample(after, 'commit_gate_scheduler_runs_total{task="reminders",result="ok"}')).toBe(1);
    expect(sample(after, 'commit_gate_outbox_pending')).toBe(0);
  });

  it('when Slack fails a post then the delivery counts as a retry and the outbox shows it waiting', async () => {
    h = await Harness.start();
    h.standIn.failNext('chat.postMessage', { error: 'internal_error' }, 50);
    await h.submitRequest('U0SELLER', { productLineId: 'gadgets', value: '10000' });
    await h.standIn.waitFor((c) => c.method === 'chat.postMessage');
    await expect
      .poll(async () =>
        sample((await scrape()).body, 'commit_gate_deliveries_total{kind="parent.post",result="retry"}'),
      )
      .toBeGreaterThan(0);
    expect(sample((await scrape()).body, 'commit_gate_outbox_pending')).toBeGreaterThan(0);
  });

  it('when the bot runs in Socket Mode then /metrics is served on PORT beside /healthz', async () => {
    h = await Harness.start({ mode: 'socket' });
    const res = await scrape();
    expect(res.status).toBe(200);
    for (const family of FAMILIES) expect(res.body).toContain(`# TYPE ${family}`);
  });
});
