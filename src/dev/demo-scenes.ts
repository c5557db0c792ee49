// The demo's week, in order. Each scene sets the clock, acts through the stage (signed requests,
// as Slack sends them) and the transcript shows what everyone saw. To show a new feature, add a
// scene here: e.g. a proposed date, an override by leadership, a capacity squeeze, the digest.
import type { Scene } from './demo.js';

export const SCENES: readonly Scene[] = [
  {
    at: '2026-11-30T09:10:00-05:00',
    title: 'Sam wants to promise Acme 120 widgets',
    async play(stage) {
      await stage.command('sam', 'Acme Corp 120 widgets by 2027-01-15 $42k');
      await stage.submitRequest('sam', {
        customer: 'Acme Corp',
        productLineId: 'widgets',
        quantity: '120',
        value: '42000',
        deliveryDate: '2027-01-15',
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
      await stage.command('priya', 'Globex 800 gadgets by 2027-01-20 $180k net 60');
      await stage.submitRequest('priya', {
        customer: 'Globex',
        productLineId: 'gadgets',
        quantity: '800',
        value: '180000',
        deliveryDate: '2027-01-20',
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
    title: 'Operations and the second Finance owner approve: Priya may commit',
    async play(stage) {
      await stage.approve('omar', 'CG-2', 'Operations');
      await stage.approve('felix', 'CG-2', 'Finance');
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
];
