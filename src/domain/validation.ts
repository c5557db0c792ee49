// Business validation of what a seller typed into the request modal. The Slack layer turns the
// view state into these raw strings; every problem comes back on its own field at once.

import type { IsoDate } from './calendar.js';
import { isIsoDate } from './calendar.js';
import { parseMoneyInput } from './money.js';
import type { RequestFacts } from './request.js';

export const REQUEST_FIELDS = [
  'customer',
  'productLineId',
  'quantity',
  'value',
  'deliveryDate',
  'paymentTermsDays',
  'discountPercent',
  'specialRequirements',
  'dealReference',
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

export type RawRequestInput = { readonly [K in RequestField]?: string | null | undefined };

export const FIELD_LIMITS = {
  customer: 150,
  specialRequirements: 3000,
  dealReference: 100,
  maxQuantity: 1_000_000_000,
  maxPaymentTermsDays: 365,
} as const;

export interface ValidationContext {
  readonly productLineIds: readonly string[];
  readonly currency: string;
  readonly today: IsoDate;
}

export type ValidationResult =
  | { readonly ok: true; readonly facts: RequestFacts }
  | { readonly ok: false; readonly errors: Partial<Record<RequestField, string>> };

export function validateRequestInput(raw: RawRequestInput, ctx: ValidationContext): ValidationResult {
  const errors: Partial<Record<RequestField, string>> = {};
  const text = (v: string | null | undefined) => (v ?? '').trim();

  const customer = text(raw.customer);
  if (!customer) errors.customer = 'Enter the customer.';
  else if (customer.length > FIELD_LIMITS.customer) {
    errors.customer = `Keep the customer under ${FIELD_LIMITS.customer} characters.`;
  }

  const productLineId = text(raw.productLineId);
  if (!productLineId) errors.productLineId = 'Choose a product line.';
  else if (!ctx.productLineIds.includes(productLineId)) {
    errors.productLineId = `Unknown product line "${productLineId}"; choose one from the list.`;
  }

  const quantityText = text(raw.quantity).replace(/[,_\s]/g, '');
  let quantity = 0;
  if (!quantityText) errors.quantity = 'Enter the quantity.';
  else if (!/^-?\d+(\.\d+)?$/.test(quantityText)) errors.quantity = 'Enter the quantity as a whole number.';
  else {
    quantity = Number(quantityText);
    if (!Number.isInteger(quantity)) errors.quantity = 'Enter the quantity as a whole number.';
    else if (quantity <= 0) errors.quantity = 'The quantity must be more than zero.';
    else if (quantity > FIELD_LIMITS.maxQuantity) errors.quantity = 'That quantity is too large.';
  }

  const valueText = text(raw.value);
  let valueMinor = 0;
  if (!valueText) errors.value = `Enter the value in ${ctx.currency}.`;
  else {
    const parsed = parseMoneyInput(valueText, ctx.currency);
    if (!parsed.ok) errors.value = parsed.reason;
    else if (parsed.minor <= 0) errors.value = 'The value must be more than zero.';
    else if (!Number.isSafeInteger(parsed.minor)) errors.value = 'That value is too large.';
    else valueMinor = parsed.minor;
  }

  const deliveryDate = text(raw.deliveryDate);
  if (!deliveryDate) errors.deliveryDate = 'Choose the delivery date.';
  else if (!isIsoDate(deliveryDate)) errors.deliveryDate = 'Choose a valid date.';
  else if (deliveryDate < ctx.today)
    errors.deliveryDate = `The delivery date cannot be in the past (today is ${ctx.today}).`;

  const termsText = text(raw.paymentTermsDays);
  let paymentTermsDays = 30;
  if (termsText) {
    const n = Number(termsText);
    if (!/^\d+$/.test(termsText) || !Number.isInteger(n) || n < 0 || n > FIELD_LIMITS.maxPaymentTermsDays) {
      errors.paymentTermsDays = `Payment terms are a whole number of days from 0 to ${FIELD_LIMITS.maxPaymentTermsDays}.`;
    } else paymentTermsDays = n;
  }

  const discountText = text(raw.discountPercent).replace(/%$/, '').trim();
  let discountPercent = 0;
  if (discountText) {
    const n = Number(discountText);
    if (!/^\d+(\.\d{1,2})?$/.test(discountText) || n < 0 || n > 100) {
      errors.discountPercent = 'The discount is a percentage from 0 to 100 (at most two decimals).';
    } else discountPercent = n;
  }

  const specialRequirements = text(raw.specialRequirements);
  if (specialRequirements.length > FIELD_LIMITS.specialRequirements) {
    errors.specialRequirements = `Keep special requirements under ${FIELD_LIMITS.specialRequirements} characters.`;
  }
  const dealReference = text(raw.dealReference);
  if (dealReference.length > FIELD_LIMITS.dealReference) {
    errors.dealReference = `Keep the deal reference under ${FIELD_LIMITS.dealReference} characters.`;
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    facts: {
      customer,
      productLineId,
      quantity,
      valueMinor,
      deliveryDate,
      paymentTermsDays,
      discountPercent,
      specialRequirements: specialRequirements || null,
      dealReference: dealReference || null,
    },
  };
}
