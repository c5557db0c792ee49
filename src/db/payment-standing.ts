// The fast lane's "has this customer a payment overdue?" (services/ports.ts PaymentStanding), on
// the promises table (issue 15). A promise's payment is due `payment_due_on` (set once it is
// delivered in full); it is overdue after that day while less than its value is paid, the same
// rule as domain/promise.ts isPaymentOverdue.
import type { PaymentStanding } from '../services/ports.js';
import type { Db } from './create-db.js';

export function createPaymentStanding(db: Db): PaymentStanding {
  // promises_customer_idx (customer, payment_due_on): a range read of one customer's due payments.
  const overdue = db.$client.prepare<[string, string]>(
    `SELECT 1 FROM promises INDEXED BY promises_customer_idx
      WHERE customer = ? AND payment_due_on IS NOT NULL AND payment_due_on < ?
        AND paid_minor < value_minor AND state <> 'cancelled'
      LIMIT 1`,
  );
  return {
    hasPaymentOverdue(customer, today) {
      return overdue.get(customer, today) !== undefined;
    },
  };
}
