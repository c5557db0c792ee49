// The demo's week, in order. Each scene sets the clock, acts through the stage (signed requests,
// as Slack sends them) and the transcript shows what everyone saw. To show a new feature, add a
// scene here. Widgets can make 500 units a week (demo-config.ts): CG-3's 300 and CG-4's 350 in
// the same week are the capacity squeeze.
// The last scene is the Monday digest of the week of 21 Dec, and "Promises kept" counts only
// promises due in that week (at risk: due in the 2 weeks after it), so the dates are chosen to
// land there: CG-4 (due Mon 21 Dec, part delivered, the rest after the digest) and CG-1 (due Wed
// 23 Dec, on time in full) fall in it, CG-2 (due Fri 8 Jan) slips inside the at-risk window, and
// CG-3's quality issue and payment are recorded in it. CG-3 itself is due the week before (the
// squeeze keeps it out of CG-4's week), so its on-time delivery shows in that week's digest.
import { ACTIONS } from '../src/slack/ids.js';
import type { Scene } from './demo.js';

export const SCENES: readonly Scene[] = [
  {
    at: '2026-11-30T09:10:00-05:00',
    title: 'Sam wants to promise Acme 120 widgets',
    async play(stage) {
      await stage.command('sam', 'Acme Corp 120 widgets by 2026-12-23 $42k');
      await stage.submitRequest('sam', {
        customer: 'Acme Corp',
        productLineId: 'widgets',
        quantity: '120',
        value: '42000',
        deliveryDate: '2026-12-23',
        dealReference: 'OPP-1042',
      });
    },
  },
  {
    at: '2026-11-30T11:30:00-05:00',
    title: 'Operations and Quality approve: Sam may commit',
    async play(stage) {
      await stage.approve('olivia', 'CG-1', 'Operations');
      await stage.approve('quinn', 'CG-1', 'Quality');
    },
  },
  {
    at: '2026-12-01T10:05:00-05:00',
    title: 'Priya asks for a large gadgets order on 60-day terms',
    async play(stage) {
      await stage.command('priya', 'Globex 800 gadgets by 2027-01-08 $180k net 60');
      await stage.submitRequest('priya', {
        customer: 'Globex',
        productLineId: 'gadgets',
        quantity: '800',
        value: '180000',
        deliveryDate: '2027-01-08',
        paymentTermsDays: '60',
      });
    },
  },
  {
    at: '2026-12-01T14:20:00-05:00',
    title: 'Finance needs two approvals: Fiona gives the first',
    async play(stage) {
      await stage.approve('fiona', 'CG-2', 'Finance');
    },
  },
  {
    at: '2026-12-01T16:40:00-05:00',
    title: 'Operations approves, the second Finance owner on a condition: Priya may commit',
    async play(stage) {
      await stage.approve('omar', 'CG-2', 'Operations');
      await stage.approveWithConditions('felix', 'CG-2', 'Finance', '30% deposit with the order');
    },
  },
  {
    at: '2026-12-02T09:45:00-05:00',
    title: 'Diego asks for a rush order with a custom finish',
    async play(stage) {
      await stage.command('diego', 'Initech 300 widgets by 2026-12-18 $36k');
      await stage.submitRequest('diego', {
        customer: 'Initech',
        productLineId: 'widgets',
        quantity: '300',
        value: '36000',
        deliveryDate: '2026-12-18',
        specialRequirements: 'Custom anodized finish in Initech blue',
      });
    },
  },
  {
    at: '2026-12-02T10:30:00-05:00',
    title: 'Sam tries to approve Quality for Diego, and is refused',
    async play(stage) {
      await stage.approve('sam', 'CG-3', 'Quality');
    },
  },
  {
    at: '2026-12-02T15:00:00-05:00',
    title: 'Quality rejects with a reason: Diego must not commit',
    async play(stage) {
      await stage.approve('olivia', 'CG-3', 'Operations');
      await stage.reject(
        'quinn',
        'CG-3',
        'Quality',
        'Anodizing takes 4 weeks at our finisher; the earliest is 8 Jan',
      );
    },
  },
  {
    at: '2026-12-02T16:10:00-05:00',
    title: 'Leadership overrides the rejection, on the record',
    async play(stage) {
      await stage.override(
        'lee',
        'CG-3',
        'Initech is our launch partner; they take the first 300 unfinished and the finish in January',
      );
    },
  },
  {
    at: '2026-12-03T09:30:00-05:00',
    title: 'Sam asks for 350 widgets in a week that is already full',
    async play(stage) {
      await stage.command('sam', 'Umbrella 350 widgets by 2026-12-17 $52k');
      await stage.submitRequest('sam', {
        customer: 'Umbrella',
        productLineId: 'widgets',
        quantity: '350',
        value: '52000',
        deliveryDate: '2026-12-17',
      });
    },
  },
  {
    at: '2026-12-03T11:00:00-05:00',
    title: 'Operations answers "yes, by this date" with the earliest feasible week',
    async play(stage) {
      await stage.proposeDate(
        'olivia',
        'CG-4',
        'Operations',
        'Line 1 runs the Initech order the week of the 14th',
      );
    },
  },
  {
    at: '2026-12-03T11:25:00-05:00',
    title: 'Sam accepts the new date; Quality and People approve: Sam may commit',
    async play(stage) {
      await stage.clickInDm('sam', ACTIONS.counterAccept);
      await stage.approve('quinn', 'CG-4', 'Quality');
      await stage.approve('hana', 'CG-4', 'People');
    },
  },
  {
    at: '2026-12-07T09:00:30-05:00',
    title: 'Monday 09:00: leadership gets the imbalance digest',
    async play(stage) {
      await stage.runScheduledJobs();
      stage.saveUploads();
    },
  },
  // After the promise: the cleared requests are promises, and the chain reports on them.
  {
    at: '2026-12-16T09:00:30-05:00',
    title: 'Two business days before CG-3 is due, Operations is asked "on track?"',
    async play(stage) {
      await stage.runScheduledJobs();
      await stage.clickInThread('olivia', 'CG-3', ACTIONS.promiseOnTrack);
    },
  },
  {
    at: '2026-12-18T09:00:30-05:00',
    title: 'CG-3 is due today: Olivia confirms it was delivered in full, on time',
    async play(stage) {
      await stage.runScheduledJobs();
      await stage.clickInThread('olivia', 'CG-3', ACTIONS.promiseDeliveredFull);
    },
  },
  {
    at: '2026-12-21T09:00:30-05:00',
    title: 'CG-4 is due today: only 200 of 350 went out; Sam hears it first',
    async play(stage) {
      await stage.runScheduledJobs();
      await stage.clickInThread('omar', 'CG-4', ACTIONS.promiseDeliveredPart);
      await stage.submitPartDelivery('omar', '2026-12-21', 200, '2026-12-30');
    },
  },
  {
    at: '2026-12-21T14:00:00-05:00',
    title: 'CG-2 will slip a week: Priya is told before anyone else',
    async play(stage) {
      await stage.command('omar', 'late CG-2 2027-01-15 The housing supplier ships a week late');
    },
  },
  {
    at: '2026-12-22T10:15:00-05:00',
    title: 'Quality finds a problem in what Initech received',
    async play(stage) {
      await stage.command('quinn', 'issue CG-3 rework 20 panels with uneven anodizing');
    },
  },
  {
    at: '2026-12-23T11:00:00-05:00',
    title: 'Initech pays, and Acme gets its widgets on the day promised',
    async play(stage) {
      await stage.command('fiona', 'paid CG-3');
      await stage.command('olivia', 'delivered CG-1');
    },
  },
  {
    at: '2026-12-28T09:00:30-05:00',
    title: 'Monday 09:00: the digest of the week the promises came due',
    async play(stage) {
      await stage.runScheduledJobs();
      stage.saveUploads();
    },
  },
];
