// Renders bench results as plain-text tables (Markdown-compatible, so they paste into the README).

interface Row {
  readonly cells: readonly string[];
}

function table(head: readonly string[], rows: readonly Row[]): string {
  const all = [head, ...rows.map((r) => r.cells)];
  const widths = head.map((_, i) => Math.max(...all.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(Math.max(1, w - 1))}:`)).join(' | ')} |`;
  return [line(head), rule, ...rows.map((r) => line(r.cells))].join('\n');
}

const n = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

export interface ReportInput {
  readonly program: string;
  readonly programs: { readonly bare: { readonly command: string } };
  readonly machine: { readonly cores: number; readonly cpu: string; readonly node: string };
  readonly method: { readonly plan: { connections: number; warmup: number; amount: number; runs: number } };
  readonly goals: {
    readonly p99Ratio: number;
    readonly rpsRatio: number;
    readonly historyGrowth: number;
    readonly idleRssRatio: number;
    readonly startupMsAtLargest: number;
    readonly loopBlockMs: number;
    readonly clickToThreadMs?: number;
  };
  readonly ackPath: readonly {
    name: string;
    label: string;
    bot: Figures;
    bare: Figures & { case: string };
    p99Ratio: number;
    rpsRatio: number;
    atRate: {
      perSecond: number;
      bot: { p50: number; p99: number };
      bare: { p50: number; p99: number };
      p99Ratio: number;
    };
    meetsP99: boolean;
    meetsRps: boolean;
  }[];
  readonly sizes: readonly {
    size: number;
    e2e?: {
      requests: number;
      perSecond: number;
      submitToLastAsk: { p50: number; p99: number };
      lastApprovalToSellerTold: { p50: number; p99: number };
      clicksPerSecond?: number;
      clickToThreadUpdated?: { p50: number; p99: number };
      failures: number;
    };
  }[];
  readonly history: readonly { name: string; small: number; large: number; growth: number; meets: boolean }[];
  readonly footprint: {
    readonly bare: { idleRss: number; peakRss: number; startupMs: number };
    readonly bot: readonly {
      size: number;
      idleRss: number;
      peakRss: number;
      idleRssAfter: number;
      idleRssRatio: number;
      peakRssRatio: number;
    }[];
    readonly startupToHealthyMs: readonly { size: number; median: number; runs: readonly number[] }[];
    readonly tsxExtra?: readonly { size: number; program: string; startupMs: number; idleRss: number }[];
    readonly installed: { totalBytes: number; dependencyBytes: number; ownBytes: number; packages: number };
  };
  readonly loop: {
    size: number;
    perSecond: number;
    maxBlockMs: number;
    maxBlockAtS: number;
    loadOnlyMaxMs: number;
    jobs: readonly { name: string; doneAfterS: number | null }[];
    ack: { p50: number; p99: number; max: number; errors: number };
  } | null;
}

export function renderReport(r: ReportInput): string {
  const p = r.method.plan;
  const out: string[] = [];
  out.push(
    `commit-gate bench: ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}; ` +
      `${p.connections} connections, ${p.warmup} warm-up + ${p.runs} x ${p.amount} requests per case, medians`,
    `program: ${r.program} (baseline: ${r.programs.bare.command})`,
    '',
    `Ack path (10k history) vs bare Bolt. Goals: p99 <= ${r.goals.p99Ratio}x, throughput >= ${r.goals.rpsRatio * 100}%`,
    table(
      ['case', 'req/s', 'p50 ms', 'p99 ms', 'bare req/s', 'bare p99', 'p99 x', 'req/s %', 'goals met'],
      r.ackPath.map((a) => ({
        cells: [
          a.label,
          n(a.bot.rps, 0),
          n(a.bot.p50),
          n(a.bot.p99),
          n(a.bare.rps, 0),
          n(a.bare.p99),
          n(a.p99Ratio, 2),
          `${n(a.rpsRatio * 100, 0)}%`,
          `${yes(a.meetsP99)} / ${yes(a.meetsRps)}`,
        ],
      })),
    ),
    '',
  );
  const rate = r.ackPath[0]?.atRate.perSecond ?? 0;
  out.push(
    `Ack latency at a fixed ${rate} requests/s (open loop, timed from when each request was due)`,
    table(
      ['case', 'p50 ms', 'p99 ms', 'bare p50', 'bare p99', 'p99 x', `p99 <= ${r.goals.p99Ratio}x`],
      r.ackPath.map((a) => ({
        cells: [
          a.label,
          n(a.atRate.bot.p50, 2),
          n(a.atRate.bot.p99, 2),
          n(a.atRate.bare.p50, 2),
          n(a.atRate.bare.p99, 2),
          n(a.atRate.p99Ratio, 2),
          yes(a.atRate.p99Ratio <= r.goals.p99Ratio),
        ],
      })),
    ),
    '',
  );
  const e2e = r.sizes.find((s) => s.e2e)?.e2e;
  if (e2e) {
    out.push(
      `End to end (${e2e.requests} requests arriving at ${e2e.perSecond}/s, then their approvals one click at a time at ${e2e.clicksPerSecond ?? e2e.perSecond}/s; stand-in answers at once; ${e2e.failures} failures). Goal: click -> updated thread p99 < ${r.goals.clickToThreadMs ?? 100} ms`,
      table(
        ['span', 'p50 ms', 'p99 ms'],
        [
          {
            cells: [
              'submitted -> last owner asked in the thread',
              n(e2e.submitToLastAsk.p50),
              n(e2e.submitToLastAsk.p99),
            ],
          },
          {
            cells: [
              'last approval -> seller told (DM)',
              n(e2e.lastApprovalToSellerTold.p50),
              n(e2e.lastApprovalToSellerTold.p99),
            ],
          },
          ...(e2e.clickToThreadUpdated
            ? [
                {
                  cells: [
                    'approval click -> its message in the thread updated',
                    n(e2e.clickToThreadUpdated.p50),
                    n(e2e.clickToThreadUpdated.p99),
                  ],
                },
              ]
            : []),
        ],
      ),
      '',
    );
  }
  const [small, large] = [r.sizes[0]?.size ?? 0, r.sizes[r.sizes.length - 1]?.size ?? 0];
  out.push(
    `History: ${small.toLocaleString('en-US')} vs ${large.toLocaleString('en-US')} stored requests. Goal: growth <= ${r.goals.historyGrowth}x`,
    table(
      ['figure', 'small', 'large', 'growth', 'goal met'],
      r.history.map((h) => ({
        cells: [h.name, n(h.small, 3), n(h.large, 3), `${n(h.growth, 2)}x`, yes(h.meets)],
      })),
    ),
    '',
    'Footprint',
    table(
      ['figure', 'value'],
      [
        {
          cells: [
            'bare Bolt RSS idle / peak; start-up to healthy',
            `${mb(r.footprint.bare.idleRss)} / ${mb(r.footprint.bare.peakRss)}; ${n(r.footprint.bare.startupMs, 0)} ms`,
          ],
        },
        ...r.footprint.bot.map((b) => ({
          cells: [
            `commit-gate RSS idle / peak under load / idle after (${b.size.toLocaleString('en-US')}); idle x bare (goal <= ${r.goals.idleRssRatio}), peak x bare`,
            `${mb(b.idleRss)} / ${mb(b.peakRss)} / ${mb(b.idleRssAfter)}; ${n(b.idleRssRatio, 2)}x, ${n(b.peakRssRatio, 2)}x`,
          ],
        })),
        ...r.footprint.startupToHealthyMs.map((s) => ({
          cells: [
            `start-up to healthy, ${s.size.toLocaleString('en-US')} requests (median of ${s.runs.length})`,
            `${n(s.median, 0)} ms`,
          ],
        })),
        ...(r.footprint.tsxExtra ?? []).map((t) => ({
          cells: [
            `extra, not the product: ${t.program}, ${t.size.toLocaleString('en-US')}: start-up; idle RSS`,
            `${n(t.startupMs, 0)} ms; ${mb(t.idleRss)}`,
          ],
        })),
        {
          cells: [
            `installed production size (${r.footprint.installed.packages} packages + own files)`,
            mb(r.footprint.installed.totalBytes),
          ],
        },
      ],
    ),
    '',
  );
  if (r.loop) {
    const l = r.loop;
    out.push(
      `Event loop at ${l.size.toLocaleString('en-US')} requests, ${l.perSecond}/s on /slack/events, while ` +
        `${l.jobs.map((j) => `${j.name} (${j.doneAfterS === null ? 'NOT seen done' : `done at ${j.doneAfterS} s`})`).join(', ')} ran`,
      table(
        ['figure', 'value'],
        [
          {
            cells: [
              'largest single block (monitorEventLoopDelay max)',
              `${n(l.maxBlockMs)} ms at ${l.maxBlockAtS} s`,
            ],
          },
          { cells: ['the same under the load alone, before the jobs', `${n(l.loadOnlyMaxMs)} ms`] },
          {
            cells: [
              `goal: no block over ${r.goals.loopBlockMs} ms`,
              yes(l.maxBlockMs <= r.goals.loopBlockMs),
            ],
          },
          {
            cells: [
              'ack p50 / p99 / max during the phase',
              `${n(l.ack.p50, 2)} / ${n(l.ack.p99, 2)} / ${n(l.ack.max, 1)} ms`,
            ],
          },
        ],
      ),
      '',
    );
  }
  return out.join('\n');
}
