// Every action_id, callback_id and block_id the bot uses, in one place: listeners register on
// these, views render them, and the manifest test checks them.

export const COMMAND = '/commit';

export const ACTIONS = {
  approve: 'signoff_approve',
  approveWithConditions: 'signoff_approve_conditions',
  proposeDate: 'signoff_propose_date',
  reject: 'signoff_reject',
  /** App Home, leadership only. */
  previewDigest: 'home_preview_digest',
  requestChanges: 'signoff_request_changes',
  revise: 'request_revise',
  counterAccept: 'counter_accept',
  counterDecline: 'counter_decline',
  withdraw: 'request_withdraw',
  override: 'request_override',
  /** Promise asks (thread messages and App Home): the request id travels in the value. */
  promiseOnTrack: 'promise_on_track',
  promiseDeliveredFull: 'promise_delivered_full',
  promiseDeliveredPart: 'promise_delivered_part',
  promiseWillBeLate: 'promise_will_be_late',
} as const;

export const CALLBACKS = {
  requestModal: 'request_modal',
  rejectModal: 'reject_modal',
  conditionsModal: 'conditions_modal',
  proposeDateModal: 'propose_date_modal',
  withdrawModal: 'withdraw_modal',
  overrideModal: 'override_modal',
  changesModal: 'changes_modal',
  promisePartModal: 'promise_part_modal',
  promiseLateModal: 'promise_late_modal',
} as const;

/** Input blocks of the request modal; their block_ids are the keys of `response_action: errors`. */
export const REQUEST_BLOCKS = {
  customer: 'customer',
  productLineId: 'product_line',
  quantity: 'quantity',
  value: 'value',
  deliveryDate: 'delivery_date',
  paymentTermsDays: 'payment_terms',
  discountPercent: 'discount',
  specialRequirements: 'special_requirements',
  dealReference: 'deal_reference',
} as const;

/** Each input block holds one element whose action_id is the block id plus this suffix. */
export const INPUT_SUFFIX = '_input';

export const REJECT_BLOCKS = { reason: 'reason' } as const;

export const CONDITIONS_BLOCKS = { conditions: 'conditions' } as const;
export const PROPOSE_BLOCKS = { date: 'proposed_date', note: 'proposal_note' } as const;
export const WITHDRAW_BLOCKS = { reason: 'withdraw_reason' } as const;
export const OVERRIDE_BLOCKS = { reason: 'override_reason' } as const;
export const CHANGES_BLOCKS = { reason: 'changes_reason' } as const;

/** "Delivered in part": the day, the quantity delivered, and when the rest will come. */
export const PROMISE_PART_BLOCKS = {
  deliveredOn: 'part_delivered_on',
  quantity: 'part_quantity',
  restOn: 'part_rest_on',
} as const;
/** "Will be late": the new delivery date and the reason, both required. */
export const PROMISE_LATE_BLOCKS = { expectedOn: 'late_expected_on', reason: 'late_reason' } as const;
