// Stripe's documented test cards (docs: testing), by the names its test PaymentMethods
// (`pm_card_<name>`) and tokens (`tok_<name>`) carry, with what a payment with each does.
// A card keeps its behaviour by fingerprint, so a PaymentMethod made from `pm_card_chargeDeclined`
// or `tok_chargeDeclined` declines wherever it is used later.

export type CardOutcome =
  | { kind: 'approve' }
  /** 3-D Secure on every payment; `offSession`: a saved card set up for later payments is not asked again. */
  | { kind: 'authenticate'; offSessionApproves: boolean }
  | { kind: 'decline'; code: string; declineCode: string; message: string };

export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  fingerprint: string;
  outcome: CardOutcome;
}

const approve: CardOutcome = { kind: 'approve' };

function decline(declineCode: string, message = 'Your card was declined.', code = 'card_declined'): CardOutcome {
  return { kind: 'decline', code, declineCode, message };
}

function card(brand: string, last4: string, outcome: CardOutcome, funding: TestCard['funding'] = 'credit'): Omit<TestCard, 'fingerprint'> {
  return { brand, last4, funding, country: 'US', outcome };
}

const CARDS: Record<string, Omit<TestCard, 'fingerprint'>> = {
  visa: card('visa', '4242', approve),
  visa_debit: card('visa', '5556', approve, 'debit'),
  mastercard: card('mastercard', '4444', approve),
  mastercard_debit: card('mastercard', '8210', approve, 'debit'),
  amex: card('amex', '8431', approve),
  discover: card('discover', '1117', approve),
  chargeDeclined: card('visa', '0002', decline('generic_decline')),
  chargeDeclinedInsufficientFunds: card('visa', '9995', decline('insufficient_funds', 'Your card has insufficient funds.')),
  chargeDeclinedLostCard: card('visa', '9987', decline('lost_card')),
  chargeDeclinedStolenCard: card('visa', '9979', decline('stolen_card')),
  chargeDeclinedExpiredCard: card('visa', '0069', decline('expired_card', 'Your card has expired.', 'expired_card')),
  chargeDeclinedIncorrectCvc: card('visa', '0127', decline('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc')),
  chargeDeclinedProcessingError: card('visa', '0119', decline('processing_error', 'An error occurred while processing your card. Try again in a little bit.', 'processing_error')),
  chargeDeclinedFraudulent: card('visa', '0019', decline('fraudulent')),
  // Attaches to a customer, then declines every charge (4000000000000341): a renewal that fails.
  chargeCustomerFail: card('visa', '0341', decline('generic_decline')),
  authenticationRequired: card('visa', '3184', { kind: 'authenticate', offSessionApproves: false }),
  authenticationRequiredOnSetup: card('visa', '3155', { kind: 'authenticate', offSessionApproves: true }),
  threeDSecureRequired: card('visa', '3063', { kind: 'authenticate', offSessionApproves: false }),
  threeDSecure2Required: card('visa', '3220', { kind: 'authenticate', offSessionApproves: false }),
};

/** A fixed 16-character fingerprint per card, as Stripe gives the same card the same one. */
function fingerprintOf(name: string): string {
  let hash = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 16; round++) {
    for (const char of `${name}/${round}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(36);
  }
  return `Tc${out}`.slice(0, 16);
}

const byName = new Map<string, TestCard>(Object.entries(CARDS).map(([name, entry]) => [name, { ...entry, fingerprint: fingerprintOf(name) }]));
const byFingerprint = new Map<string, TestCard>([...byName.values()].map((entry) => [entry.fingerprint, entry]));

/** `pm_card_visa` → the visa test card; undefined for any other id. */
export function testPaymentMethod(id: string): TestCard | undefined {
  return id.startsWith('pm_card_') ? byName.get(id.slice('pm_card_'.length)) : undefined;
}

/** `tok_visa` → the visa test card; undefined for any other id. */
export function testToken(id: string): TestCard | undefined {
  return id.startsWith('tok_') ? byName.get(id.slice('tok_'.length)) : undefined;
}

/** What paying with a card does: its test card's outcome, or approval for any other card. */
export function outcomeOf(fingerprint: unknown): CardOutcome {
  return (typeof fingerprint === 'string' ? byFingerprint.get(fingerprint)?.outcome : undefined) ?? approve;
}
