import { describe, expect, it } from 'vitest';
import { promiseRoles } from '../../src/config.js';
import { exampleConfig, exampleConfigObject } from '../support/config.js';

describe('promises config', () => {
  it('when promises is absent then the roles default to operations, quality, finance and asks 2 business days ahead', () => {
    expect(promiseRoles(exampleConfig())).toEqual({
      confirmedBy: 'operations',
      qualityBy: 'quality',
      paymentsBy: 'finance',
      askDaysBefore: 2,
    });
  });

  it('when a default function is not configured then that role is null rather than an error', () => {
    const functions = { operations: { label: 'Operations', owners: ['U0OPS1'] } };
    expect(promiseRoles(exampleConfig({ functions, rules: [] }))).toMatchObject({
      confirmedBy: 'operations',
      qualityBy: null,
      paymentsBy: null,
    });
  });

  it('when a function id is given explicitly and does not exist then the config is refused naming the key', () => {
    expect(() => exampleConfig({ promises: { quality_by: 'qa' } })).toThrow(
      /config: promises\.quality_by: unknown function "qa"/,
    );
    expect(() => exampleConfig({ promises: { ask_days_before: -1 } })).toThrow(/promises\.ask_days_before/);
    expect(() => exampleConfig({ promises: { asks: 1 } })).toThrow(/unknown key "asks"/);
  });

  it('when roles are given explicitly then they are used', () => {
    const cfg = exampleConfig({
      promises: { confirmed_by: 'people', payments_by: 'operations', ask_days_before: 3 },
    });
    expect(promiseRoles(cfg)).toMatchObject({
      confirmedBy: 'people',
      paymentsBy: 'operations',
      askDaysBefore: 3,
    });
    expect(exampleConfigObject()).not.toHaveProperty('promises');
  });
});
