import { type Config, parseConfig } from '../../src/config.js';

/** The INTERFACE.md example configuration, as a plain object tests can vary. */
export function exampleConfigObject(): Record<string, unknown> {
  return {
    timezone: 'America/New_York',
    currency: 'USD',
    channels: { requests: 'C0REQUESTS', digest: 'C0DIGEST' },
    digest: { weekday: 'monday', time: '09:00' },
    reminders: {
      remind_after_hours: 8,
      escalate_after_hours: 24,
      expire_after_days: 14,
      business_hours: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    },
    leadership: ['U0CEO'],
    functions: {
      operations: { label: 'Operations', owners: ['U0OPS1', 'U0OPS2'] },
      quality: { label: 'Quality', owners: ['U0QA1'] },
      finance: { label: 'Finance', owners: ['U0FIN1', 'U0FIN2'], approvals: 2 },
      people: { label: 'People', owners: ['U0HR1'] },
    },
    product_lines: [
      { id: 'widgets', name: 'Widgets', unit: 'units', lead_time_days: 21, capacity_per_week: 500 },
      { id: 'gadgets', name: 'Gadgets', unit: 'boxes', lead_time_days: 35 },
    ],
    rules: [
      { require: ['operations'] },
      { when: { product_line: ['widgets'] }, require: ['quality'] },
      { when: { value_at_least: 50000 }, require: ['finance'] },
      { when: { payment_terms_days_over: 30 }, require: ['finance'] },
      { when: { discount_percent_over: 15 }, require: ['finance'] },
      { when: { lead_time_shorter_than_standard: true }, require: ['operations', 'people'] },
    ],
  };
}

export function exampleConfig(overrides: Record<string, unknown> = {}): Config {
  return parseConfig({ ...exampleConfigObject(), ...overrides });
}
