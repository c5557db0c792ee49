// The week cache (db/digest-week-cache.ts, migration 0015): the digest, its trend and the
// leadership board read the facts of ended weeks from digest_weeks, and those facts always equal
// what counting the week again answers. Every late write below changes an ended week's figures
// (the uncached digest differs from before it); after each, the cached digest equals the
// uncached one, so the write's trigger deleted what it made stale.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeServices } from '../../src/composition.js';
import { closeDb, createDb, type Db } from '../../src/db/create-db.js';
import { createDigestReader } from '../../src/db/digest-repo.js';
import { FACTS_FORMAT, keptKinds, WEEK_KINDS, withWeekCache } from '../../src/db/digest-week-cache.js';
import { events, promiseDeliveries, promisePayments, promises } from '../../src/db/schema.js';
import { addDays, type IsoDate } from '../../src/domain/calendar.js';
import { AT_RISK_DAYS, atRiskRangeOf, promiseWindowOf } from '../../src/domain/scoreboard.js';
import type { DigestReader } from '../../src/services/ports.js';
import { buildTrend, buildWeeklyDigest } from '../../src/services/weekly-digest.js';
import { exampleConfig } from '../support/config.js';
import { seedApproval, seedEvent, seedPromise, seedRequest, seedSignOff } from '../support/digest-seed.js';
import { FixedClock } from '../support/fixed-clock.js';
import { seedGoldenWeek } from '../support/golden-week.js';

const config = exampleConfig();
const DAY = '2026-11-18';

describe('the digest week cache', () => {
  let db: Db;
  let clock: FixedClock;
  const cachedReader = () => createDigestReader(db, { weekCache: { clock, timeZone: config.timezone } });
  const digestWith = (reader: DigestReader, day: IsoDate = DAY) => {
    const deps = { reader, config, clock };
    const digest = buildWeeklyDigest(deps, day);
    return { digest, trend: buildTrend(deps, day, 8, digest.scoreboard) };
  };
  const plain = (day: IsoDate = DAY) => digestWith(createDigestReader(db), day);
  const cached = (day: IsoDate = DAY) => digestWith(cachedReader(), day);
  const kept = () =>
    db.$client
      .prepare(
        'SELECT kind, first_day AS day, facts IS NOT NULL AS filled FROM digest_weeks ORDER BY kind, start_ms',
      )
      .all() as { kind: string; day: string; filled: number }[];
  const keptDays = (kind: string) =>
    kept()
      .filter((r) => r.kind === kind && r.filled)
      .map((r) => r.day);

  beforeEach(() => {
    db = createDb(':memory:');
    seedGoldenWeek(db);
    clock = new FixedClock('2026-11-23T14:00:00Z');
  });
  afterEach(() => closeDb(db));

  it('when the digest is built then the nine ended weeks are kept and the next digest reads them', () => {
    const first = cached();
    expect(first).toEqual(plain());
    const nine = Array.from({ length: 9 }, (_, i) => addDays('2026-09-21', 7 * i));
    expect(keptDays('events')).toEqual(nine);
    expect(keptDays('requests')).toEqual(nine);
    expect(keptDays('promises')).toEqual(nine);
    expect(keptDays('trend')).toEqual(nine.slice(1));
    expect(keptDays('flow')).toEqual(['2026-11-16']);
    // The next digest reads what is kept: a kept week changed by hand shows up in it.
    db.$client
      .prepare(
        `UPDATE digest_weeks SET facts = ? || json_set(substr(facts, ?), '$.submitted', 999), token = token + 1
         WHERE kind = 'trend' AND first_day = '2026-11-16'`,
      )
      .run(FACTS_FORMAT, FACTS_FORMAT.length + 1);
    expect(cached().trend.at(-1)?.submitted).toBe(999);
    expect(plain().trend.at(-1)?.submitted).toBe(first.trend.at(-1)?.submitted);
  });

  it('when a kept week was written in another format then it is counted again and replaced', () => {
    const first = cached();
    db.$client
      .prepare(`UPDATE digest_weeks SET facts = '0|' || facts, token = token + 1 WHERE kind = 'requests'`)
      .run();
    expect(cached()).toEqual(first);
    const formats = db.$client
      .prepare(`SELECT DISTINCT substr(facts, 1, ?) AS f FROM digest_weeks WHERE kind = 'requests'`)
      .pluck()
      .all(FACTS_FORMAT.length);
    expect(formats).toEqual([FACTS_FORMAT]);
  });

  it('when kept facts were read once then the same reservation is not decoded again, a new one is', () => {
    const first = cached();
    // Facts changed under an unchanged token (which no writer does) are not read again…
    db.$client.prepare(`UPDATE digest_weeks SET facts = '${FACTS_FORMAT}[]' WHERE kind = 'requests'`).run();
    expect(cached()).toEqual(first);
    // …while a new reservation (a new token) is.
    db.$client.prepare(`UPDATE digest_weeks SET token = token + 1 WHERE kind = 'requests'`).run();
    expect(cached().digest.scoreboard).not.toEqual(first.digest.scoreboard);
  });

  it('when the week in progress is digested then it is counted, never kept, and the ended weeks are', () => {
    clock.set('2026-11-25T15:00:00Z');
    expect(cached('2026-11-25')).toEqual(plain('2026-11-25'));
    expect(keptDays('events')).not.toContain('2026-11-23');
    expect(keptDays('events')).toContain('2026-11-16');
    // Promises are judged by day: the week of 16 Nov ended on the 23rd.
    expect(keptDays('promises')).toContain('2026-11-16');
    expect(keptDays('promises')).not.toContain('2026-11-23');
    // A write of now lands in the week in progress: nothing kept is deleted.
    const before = kept();
    seedEvent(db, {
      requestId: 71,
      type: 'signoff.date_proposed',
      at: '2026-11-25T15:00:00Z',
      actorId: 'U0OPS1',
    });
    expect(kept()).toEqual(before);
  });

  it('when the clock is set back before a kept week ended then that week is counted again', () => {
    cached();
    clock.set('2026-11-20T14:00:00Z');
    // Written after the first digest, inside the week of 16 Nov (which has not ended at this clock).
    seedEvent(db, {
      requestId: 71,
      type: 'signoff.date_proposed',
      at: '2026-11-19T15:00:00Z',
      actorId: 'U0OPS2',
    });
    expect(cached()).toEqual(plain());
  });

  // Each write changes an ended week's figures; the kept weeks must follow.
  // A promise delivered before the window, never paid: overdue in every week of it, and in the
  // window only because its row says it is unpaid past its due day.
  const unpaidOldPromise = (d: Db) =>
    seedPromise(d, {
      requestId: 73,
      productLineId: 'widgets',
      promisedOn: '2026-08-01',
      state: 'delivered',
      // Payment due on 31 Aug, before the window.
      deliveries: [{ on: '2026-08-01', quantity: 10 }],
    });
  const lateWrites: [string, (db: Db) => void, ((db: Db) => void)?][] = [
    [
      'a late delivery recorded for a promise of four weeks ago (with the row the repo keeps)',
      (d) => {
        d.insert(promiseDeliveries)
          .values({
            requestId: 607,
            deliveredOn: '2026-11-25',
            quantity: 10,
            recordedBy: 'U0OPS1',
            at: new Date(),
          })
          .run();
        d.update(promises)
          .set({ deliveredQuantity: 10, deliveredOn: '2026-11-25', paymentDueOn: '2026-12-25' })
          .where(sql`request_id = 607`)
          .run();
      },
    ],
    [
      'a delivery backdated into an ended week',
      (d) => {
        d.insert(promiseDeliveries)
          .values({
            requestId: 606,
            deliveredOn: '2026-11-20',
            quantity: 5,
            recordedBy: 'U0OPS1',
            at: new Date(),
          })
          .run();
      },
    ],
    [
      'a payment backdated into an ended week',
      (d) => {
        d.insert(promisePayments)
          .values({
            requestId: 603,
            paidOn: '2026-11-10',
            amountMinor: 250_000,
            recordedBy: 'U0FIN1',
            at: new Date(),
          })
          .run();
      },
    ],
    ['a payment taken back', (d) => d.run(sql`DELETE FROM promise_payments WHERE request_id = 602`)],
    [
      'a quality issue reported on an ended day',
      (d) =>
        d.run(
          sql`INSERT INTO promise_quality_issues (request_id, reported_on, kind, note, recorded_by, at)
              VALUES (604, '2026-11-06', 'return', 'late report', 'U0QA1', 0)`,
        ),
    ],
    [
      'a promise cancelled',
      (d) => d.update(promises).set({ cancelledAt: new Date() }).where(sql`request_id = 601`).run(),
    ],
    [
      'the escalated sign-off of three weeks ago answered differently',
      (d) =>
        d.run(sql`UPDATE sign_offs SET decided_at = ${Date.parse('2026-11-09T20:00:00Z')} WHERE id = 7401`),
    ],
    [
      'an old request’s value revised',
      (d) => d.run(sql`UPDATE requests SET value_minor = 4000000 WHERE id = 72`),
    ],
    [
      'a revision recorded now on a request submitted weeks ago',
      (d) =>
        seedEvent(d, {
          requestId: 72,
          type: 'request.revised',
          at: '2026-11-23T14:00:00Z',
          actorId: 'U0SELLER',
        }),
    ],
    [
      'a sign-off asked now on a request submitted weeks ago',
      (d) =>
        seedSignOff(d, { id: 9901, requestId: 71, functionId: 'people', askedAt: '2026-11-23T14:00:00Z' }),
    ],
    [
      'a sign-off moved to another function',
      (d) => d.run(sql`UPDATE sign_offs SET function_id = 'finance' WHERE id = 7201`),
    ],
    [
      'an event imported into an ended week',
      (d) =>
        seedEvent(d, {
          requestId: 71,
          type: 'request.overridden',
          at: '2026-10-14T15:00:00Z',
          actorId: 'U0LEAD',
        }),
    ],
    [
      'a request imported into an ended week',
      (d) =>
        seedRequest(d, {
          id: 9902,
          productLineId: 'gadgets',
          valueMinor: 123_400,
          deliveryDate: '2026-10-30',
          createdAt: '2026-10-21T15:00:00Z',
        }),
    ],
    ['a request deleted with its history', (d) => d.run(sql`DELETE FROM requests WHERE id = 72`)],
    ['a sign-off deleted', (d) => d.run(sql`DELETE FROM sign_offs WHERE id = 7201`)],
    [
      'an approval’s conditions taken back',
      (d) => d.run(sql`UPDATE sign_off_approvals SET conditions = NULL WHERE sign_off_id = 1002`),
    ],
    [
      'an approval with conditions deleted',
      (d) => d.run(sql`DELETE FROM sign_off_approvals WHERE sign_off_id = 1002`),
    ],
    [
      'an approval with conditions added to a request approved in an ended week',
      (d) => seedApproval(d, 1001, 'U0OPS2', '2026-11-24T15:00:00Z', 'Only in blue'),
      (d) => d.run(sql`DELETE FROM sign_off_approvals WHERE sign_off_id = 1002`),
    ],
    [
      'a promise without steps imported into an ended week',
      (d) =>
        seedPromise(d, { requestId: 73, productLineId: 'widgets', promisedOn: '2026-11-03', state: 'open' }),
    ],
    ['a promise without steps deleted', (d) => d.run(sql`DELETE FROM promises WHERE request_id = 607`)],
    [
      'a promise’s row alone marked paid',
      (d) => d.run(sql`UPDATE promises SET paid_minor = value_minor WHERE request_id = 73`),
      unpaidOldPromise,
    ],
    [
      'a delivery’s day corrected',
      (d) => d.run(sql`UPDATE promise_deliveries SET delivered_on = '2026-11-02' WHERE request_id = 605`),
    ],
    ['a delivery taken back', (d) => d.run(sql`DELETE FROM promise_deliveries WHERE request_id = 605`)],
    [
      'a payment’s day corrected',
      (d) => d.run(sql`UPDATE promise_payments SET paid_on = '2026-10-20' WHERE request_id = 601`),
    ],
    [
      'a quality issue’s day corrected',
      (d) => d.run(sql`UPDATE promise_quality_issues SET reported_on = '2026-10-15' WHERE request_id = 605`),
    ],
    [
      'a quality issue taken back',
      (d) => d.run(sql`DELETE FROM promise_quality_issues WHERE request_id = 605`),
    ],
    ['a promise deleted', (d) => d.run(sql`DELETE FROM promises WHERE request_id = 604`)],
    [
      'a promise imported into an ended week',
      (d) =>
        seedPromise(d, {
          requestId: 73,
          productLineId: 'widgets',
          promisedOn: '2026-11-02',
          state: 'delivered',
          deliveries: [{ on: '2026-11-05', quantity: 10 }],
        }),
    ],
    [
      'an event’s time corrected',
      (d) => d.run(sql`UPDATE events SET at = at - 7 * 86400000 WHERE request_id = 72`),
    ],
    [
      'an event deleted',
      (d) => d.run(sql`DELETE FROM events WHERE request_id = 71 AND type = 'request.approved'`),
    ],
  ];

  it.each(lateWrites)('when %s then the kept weeks follow it', (_name, write, setup) => {
    setup?.(db);
    const before = cached();
    expect(before).toEqual(plain());
    expect(kept().length).toBeGreaterThan(0);
    write(db);
    const after = plain();
    // The write matters to the figures of an ended week…
    expect(after).not.toEqual(before);
    // …and the cache shows it.
    expect(cached()).toEqual(after);
  });

  it('when a request of an ended week changes status then its kept flow rows follow (no figure reads the status today)', () => {
    cached();
    const cur = { start: new Date('2026-11-16T05:00:00Z'), end: new Date('2026-11-23T05:00:00Z') };
    expect(keptDays('flow')).toEqual(['2026-11-16']);
    db.run(sql`UPDATE requests SET status = 'withdrawn' WHERE id = 20`);
    expect(keptDays('flow')).toEqual([]);
    expect(cachedReader().weekRows(cur.start, cur.end)).toEqual(
      createDigestReader(db).weekRows(cur.start, cur.end),
    );
    expect(cachedReader().weekRows(cur.start, cur.end).requests.get(20)?.status).toBe('withdrawn');
  });

  it('when the worker asks to prepare the week that ended then it is counted once, and again only after a late write', () => {
    const composition = composeServices(db, {
      config,
      clock,
      groups: { members: () => [] },
      onNotify: () => {},
    });
    // Monday 23 Nov 09:00 New York: the week of 16 Nov has ended and nothing is kept yet.
    expect(composition.prepareDigest()).toBe(true);
    expect([...keptKinds(db, '2026-11-16')].sort()).toEqual([...WEEK_KINDS].sort());
    // Asked again (the worker asks every minute): nothing to count.
    expect(composition.prepareDigest()).toBe(false);
    // The Monday digest then finds every week it reads kept and answers what counting would.
    expect(digestWith(composition.digest.reader)).toEqual(plain());
    // A late delivery for that week drops its promise facts: the next ask counts it again.
    db.insert(promiseDeliveries)
      .values({
        requestId: 606,
        deliveredOn: '2026-11-20',
        quantity: 5,
        recordedBy: 'U0OPS1',
        at: new Date(),
      })
      .run();
    expect(keptKinds(db, '2026-11-16').has('promises')).toBe(false);
    expect(composition.prepareDigest()).toBe(true);
    expect(composition.prepareDigest()).toBe(false);
  });

  it('when a write lands between reserving a week and filling it then the week is not kept', () => {
    const plainReader = createDigestReader(db);
    let wrote = false;
    // A reader whose count lets another writer commit first: the write the reservation did not see.
    const racing: DigestReader = {
      ...plainReader,
      scoreEventFacts: (weeks) => {
        const facts = plainReader.scoreEventFacts(weeks);
        if (!wrote) {
          wrote = true;
          seedEvent(db, {
            requestId: 71,
            type: 'signoff.date_proposed',
            at: '2026-11-17T15:00:00Z',
            actorId: 'U0OPS2',
          });
        }
        return facts;
      },
    };
    const reader = withWeekCache(db, racing, { clock, timeZone: config.timezone });
    digestWith(reader);
    expect(wrote).toBe(true);
    // The week the write landed in is not kept; the others are.
    expect(keptDays('events')).not.toContain('2026-11-16');
    expect(keptDays('events')).toContain('2026-11-09');
    expect(cached()).toEqual(plain());
  });

  it('when the digest is built inside a transaction then it is counted and nothing is kept', () => {
    const result = db.$client.transaction(() => cached())();
    expect(result).toEqual(plain());
    expect(kept()).toEqual([]);
  });

  it('when the at-risk candidates are read alone then they are those of the promise facts', () => {
    const reader = createDigestReader(db);
    const first = '2026-09-21';
    const mondays = Array.from({ length: 9 }, (_, i) => addDays(first, 7 * i));
    const sunday = addDays(mondays[8] as IsoDate, 6);
    seedPromise(db, {
      requestId: 73,
      productLineId: 'widgets',
      promisedOn: '2026-11-27',
      quantity: 10,
      state: 'open',
      deliveries: [
        { on: '2026-11-30', quantity: 6 },
        { on: '2026-11-26', quantity: 4 },
      ],
      slips: [{ expectedOn: '2026-12-01', at: '2026-11-20T15:00:00Z' }],
    });
    for (const today of ['2026-11-19', '2026-11-23', '2026-12-31'] as IsoDate[]) {
      const facts = reader.promiseFacts(promiseWindowOf(mondays, today), mondays, today);
      expect(facts.atRisk.length).toBeGreaterThan(1);
      // Promised from the second Monday to two weeks after the last Sunday.
      expect(atRiskRangeOf(mondays)).toEqual({ from: '2026-09-28', to: addDays(sunday, AT_RISK_DAYS) });
      const risk = atRiskRangeOf(mondays);
      expect(reader.atRiskCandidates(risk.from, risk.to)).toEqual(facts.atRisk);
    }
  });

  it('when a week is kept then no event row is needed to count it again', () => {
    // The kept facts stand in for the rows: with every event of the history gone but the kept
    // weeks left (as no trigger would allow), the digest still answers the same for them.
    const first = cached();
    db.$client.exec('DROP TRIGGER digest_weeks_events_delete');
    db.delete(events).run();
    const again = cached();
    expect(again.digest.scoreboard).toEqual(first.digest.scoreboard);
  });
});
