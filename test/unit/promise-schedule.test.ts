import { describe, expect, it } from 'vitest';
import type { Weekday } from '../../src/domain/business-hours.js';
import {
  addBusinessDays,
  askDays,
  asksDue,
  businessDayOnOrAfter,
  type PromiseAskState,
} from '../../src/domain/promise-schedule.js';

const WEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
// Mon 21 Dec 2026 is due; Sat 19 / Sun 20 are days off.
const open: PromiseAskState = {
  dueOn: '2026-12-21',
  clearedOn: '2026-12-01',
  state: 'open',
  askedOnTrackAt: null,
  askedDueAt: null,
  remindedAt: null,
};
const at = (today: string, started = true) => ({
  today,
  businessHoursStarted: started,
  days: WEEK,
  askDaysBefore: 2,
});

describe('business days', () => {
  it('when counting back 2 business days from a Monday then it lands on the Thursday before', () => {
    expect(addBusinessDays('2026-12-21', -2, WEEK)).toBe('2026-12-17');
    expect(addBusinessDays('2026-12-18', 1, WEEK)).toBe('2026-12-21');
  });
  it('when a due date falls on a Saturday then its ask is on the Monday after, the reminder on Tuesday', () => {
    expect(businessDayOnOrAfter('2026-12-19', WEEK)).toBe('2026-12-21');
    expect(askDays('2026-12-19', 2, WEEK)).toEqual({
      onTrack: '2026-12-17',
      due: '2026-12-21',
      reminder: '2026-12-22',
    });
  });
});

describe('asks due', () => {
  it('when it is 2 business days before the due date then "on track?" is due, not before', () => {
    expect(asksDue(open, at('2026-12-16'))).toEqual([]);
    expect(asksDue(open, at('2026-12-17'))).toEqual(['on_track']);
  });
  it('when business hours have not started then nothing is asked yet', () => {
    expect(asksDue(open, at('2026-12-17', false))).toEqual([]);
    expect(asksDue(open, at('2026-12-21', false))).toEqual([]);
  });
  it('when it is the weekend before the due date then nothing is asked', () => {
    const asked = { ...open, askedOnTrackAt: new Date() };
    expect(asksDue(asked, at('2026-12-19'))).toEqual([]);
    expect(asksDue(asked, at('2026-12-20'))).toEqual([]);
  });
  it('when it is the due date then the due-date ask is due once', () => {
    const asked = { ...open, askedOnTrackAt: new Date() };
    expect(asksDue(asked, at('2026-12-21'))).toEqual(['due']);
    expect(asksDue({ ...asked, askedDueAt: new Date() }, at('2026-12-21'))).toEqual([]);
  });
  it('when a business day after the due date nobody answered then one reminder and overdue', () => {
    const asked = { ...open, askedOnTrackAt: new Date(), askedDueAt: new Date() };
    expect(asksDue(asked, at('2026-12-22'))).toEqual(['reminder', 'overdue']);
    expect(asksDue({ ...asked, remindedAt: new Date(), state: 'overdue' }, at('2026-12-23'))).toEqual([]);
  });
  it('when the due-date ask was missed past the reminder day then it is not sent late, only overdue', () => {
    expect(asksDue(open, at('2026-12-28'))).toEqual(['overdue']);
  });
  it('when a promise was cleared inside the window then "on track?" is not asked', () => {
    expect(asksDue({ ...open, clearedOn: '2026-12-17' }, at('2026-12-17'))).toEqual([]);
  });
  it('when ask_days_before is 0 then only the due date asks', () => {
    expect(asksDue(open, { ...at('2026-12-18'), askDaysBefore: 0 })).toEqual([]);
    expect(asksDue(open, { ...at('2026-12-21'), askDaysBefore: 0 })).toEqual(['due']);
  });
  it('when delivered or cancelled then nothing is asked', () => {
    expect(asksDue({ ...open, state: 'delivered' }, at('2026-12-21'))).toEqual([]);
    expect(asksDue({ ...open, state: 'cancelled' }, at('2026-12-28'))).toEqual([]);
  });
});
