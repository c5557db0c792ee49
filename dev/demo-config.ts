// The demo's workspace: a small manufacturer's sales team and the four functions that sign off.
// Ids are Slack-shaped so the real config schema accepts them; names are for the transcript.
import { type Config, parseConfig } from '../src/config.js';

export interface DemoPerson {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

export const PEOPLE = {
  sam: { id: 'U0SAM', name: 'Sam', role: 'seller' },
  priya: { id: 'U0PRIYA', name: 'Priya', role: 'seller' },
  diego: { id: 'U0DIEGO', name: 'Diego', role: 'seller' },
  olivia: { id: 'U0OLIVIA', name: 'Olivia', role: 'Operations owner' },
  omar: { id: 'U0OMAR', name: 'Omar', role: 'Operations owner' },
  quinn: { id: 'U0QUINN', name: 'Quinn', role: 'Quality owner' },
  fiona: { id: 'U0FIONA', name: 'Fiona', role: 'Finance owner' },
  felix: { id: 'U0FELIX', name: 'Felix', role: 'Finance owner' },
  hana: { id: 'U0HANA', name: 'Hana', role: 'People owner' },
  lee: { id: 'U0LEE', name: 'Lee', role: 'leadership' },
} as const satisfies Record<string, DemoPerson>;

export type PersonKey = keyof typeof PEOPLE;

export const CHANNELS = {
  requests: { id: 'C0COMMITMENTS', name: 'commitments' },
  digest: { id: 'C0LEADERSHIP', name: 'leadership' },
  sales: { id: 'C0SALES', name: 'sales' },
} as const;

/** The demo's commit-gate.yml, as the object the YAML would parse into. */
export function demoConfigObject(): Record<string, unknown> {
  const p = PEOPLE;
  return {
    timezone: 'America/New_York',
    currency: 'USD',
    channels: { requests: CHANNELS.requests.id, digest: CHANNELS.digest.id },
    digest: { weekday: 'monday', time: '09:00' },
    leadership: [p.lee.id],
    functions: {
      operations: { label: 'Operations', owners: [p.olivia.id, p.omar.id] },
      quality: { label: 'Quality', owners: [p.quinn.id] },
      finance: { label: 'Finance', owners: [p.fiona.id, p.felix.id], approvals: 2 },
      people: { label: 'People', owners: [p.hana.id] },
    },
    product_lines: [
      { id: 'widgets', name: 'Widgets', unit: 'units', lead_time_days: 21, capacity_per_week: 500 },
      { id: 'gadgets', name: 'Gadgets', unit: 'boxes', lead_time_days: 35 },
    ],
    rules: [
      { require: ['operations'] },
      { when: { product_line: ['widgets'] }, require: ['quality'] },
      { when: { value_at_least: 100000 }, require: ['finance'] },
      { when: { payment_terms_days_over: 45 }, require: ['finance'] },
      { when: { lead_time_shorter_than_standard: true }, require: ['operations', 'people'] },
    ],
  };
}

export function demoConfig(): Config {
  return parseConfig(demoConfigObject());
}
