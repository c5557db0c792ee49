// Understands the free text after `/commit` well enough to prefill the request modal, e.g.
// "Acme 120 widgets by 2026-12-15 $75k net 60". It only suggests: the seller sees and corrects
// every value in the modal, and validation still runs on submit. Anything not understood is left
// for the seller to fill in; nothing is guessed from ambiguous text.
import { type IsoDate, isIsoDate } from './calendar.js';

export interface Prefill {
  readonly customer?: string;
  readonly productLineId?: string;
  readonly quantity?: number;
  readonly valueMinor?: number;
  readonly deliveryDate?: IsoDate;
  readonly paymentTermsDays?: number;
  readonly discountPercent?: number;
  readonly specialRequirements?: string;
  readonly dealReference?: string;
}

export interface PrefillContext {
  readonly productLines: readonly { readonly id: string; readonly name: string; readonly unit: string }[];
  /** Today in the configured zone: month-and-day dates resolve to their next occurrence. */
  readonly today: IsoDate;
  readonly minorUnitsPerMajor: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const GAP = '\u0000';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

export function parsePrefill(text: string, ctx: PrefillContext): Prefill {
  const out: Mutable<Prefill> = {};
  let rest = ` ${text.replace(/\s+/g, ' ').trim()} `;
  if (!rest.trim()) return out;
  const take = (re: RegExp, onMatch: (m: RegExpExecArray) => boolean): void => {
    const m = re.exec(rest);
    if (m && onMatch(m)) rest = `${rest.slice(0, m.index)} ${GAP} ${rest.slice(m.index + m[0].length)}`;
  };

  take(/\b(?:ref|deal|opp)\s*[:#]?\s*([A-Za-z0-9][\w.-]{0,99})/i, (m) => {
    if (!m[1] || !/\d/.test(m[1])) return false;
    out.dealReference = m[1];
    return true;
  });
  take(/\bnet\s*-?\s*(\d{1,3})\b|\b(\d{1,3})\s*days?\s+(?:payment\s+)?terms\b/i, (m) => {
    const n = Number(m[1] ?? m[2]);
    if (n > 365) return false;
    out.paymentTermsDays = n;
    return true;
  });
  take(/(?:\bdiscount\s*(?:of\s*)?)?\b(\d{1,3}(?:\.\d{1,2})?)\s*%(?:\s*(?:off|discount))?/i, (m) => {
    const n = Number(m[1]);
    if (n > 100) return false;
    out.discountPercent = n;
    return true;
  });
  take(/(?:\b(?:by|on|before|for)\s+)?\b(\d{4}-\d{2}-\d{2})\b/i, (m) => {
    if (!m[1] || !isIsoDate(m[1])) return false;
    out.deliveryDate = m[1];
    return true;
  });
  if (!out.deliveryDate) {
    take(
      new RegExp(
        `(?:\\b(?:by|on|before)\\s+)?\\b(?:${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?|(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH})(?:,?\\s+(\\d{4}))?\\b`,
        'i',
      ),
      (m) => {
        const month = MONTHS.indexOf((m[1] ?? m[4] ?? '').slice(0, 3).toLowerCase());
        const day = Number(m[2] ?? m[3]);
        const date = resolveMonthDay(month, day, m[5] ? Number(m[5]) : null, ctx.today);
        if (!date) return false;
        out.deliveryDate = date;
        return true;
      },
    );
  }
  // Money needs a currency sign, a k/m suffix or a word that says it is the value, so that a bare
  // "120" is left for the quantity.
  take(
    /(?:\b(?:for|worth|value|valued at)\s+)?(?:[$€£¥₹]\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|bn)?|\b(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|bn)\b|\b(?:for|worth|value|valued at)\s+(\d[\d,]*(?:\.\d+)?)\b)/i,
    (m) => {
      const digits = (m[1] ?? m[3] ?? m[5] ?? '').replace(/,/g, '');
      const suffix = (m[2] ?? m[4] ?? '').toLowerCase();
      const factor =
        suffix === 'k' ? 1e3 : suffix === 'm' || suffix === 'mm' ? 1e6 : suffix === 'bn' ? 1e9 : 1;
      const major = Number(digits) * factor;
      if (!digits || !Number.isFinite(major) || major <= 0) return false;
      out.valueMinor = Math.round(major * ctx.minorUnitsPerMajor);
      return true;
    },
  );

  const lineWords = ctx.productLines.map((p) => ({
    id: p.id,
    words: [p.id, p.name, p.unit].map((w) => w.toLowerCase()),
  }));
  const matchLine = (word: string): string | undefined => {
    const w = word.toLowerCase();
    return lineWords.find((l) => l.words.some((x) => x === w || `${x}s` === w || x === `${w}s`))?.id;
  };
  const byName = (word: string) =>
    lineWords.find((l) =>
      l.words.slice(0, 2).some((x) => x === word.toLowerCase() || `${x}s` === word.toLowerCase()),
    )?.id;
  take(/\b(\d[\d,]*)\s*(?:x\s+)?([A-Za-z][\w-]*)(?:\s+of\s+([A-Za-z][\w-]*))?/i, (m) => {
    const line = (m[3] && byName(m[3])) || (m[2] && matchLine(m[2]));
    if (!line) return false;
    out.quantity = Number((m[1] ?? '').replace(/,/g, ''));
    out.productLineId = line;
    return true;
  });
  if (!out.productLineId) {
    const words = rest.split(' ');
    const found = words.find((w) => w !== GAP && byName(w));
    if (found) {
      out.productLineId = byName(found);
      rest = rest.replace(found, GAP);
    }
  }

  // The customer is what the seller wrote first, before the first thing understood.
  const lead = rest
    .split(GAP)[0]
    ?.trim()
    .replace(/[,:;-]+$/, '')
    .trim();
  if (lead) out.customer = lead.slice(0, 150);
  return out;
}

function resolveMonthDay(month: number, day: number, year: number | null, today: IsoDate): IsoDate | null {
  if (month < 0 || day < 1 || day > 31) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const thisYear = Number(today.slice(0, 4));
  const candidates = year === null ? [thisYear, thisYear + 1] : [year];
  for (const y of candidates) {
    const date = `${y}-${pad(month + 1)}-${pad(day)}`;
    if (isIsoDate(date) && (year !== null || date >= today)) return date;
  }
  return null;
}
