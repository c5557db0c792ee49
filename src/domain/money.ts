// Money is integer minor units of the configured currency (cents for USD, yen for JPY). Parsing
// what a seller types ("75k", "$75,000", "1.2m") and formatting for people both live here.

const digitsCache = new Map<string, number>();

/** How many minor units make one major unit: 100 for USD, 1 for JPY, 1000 for BHD. */
export function minorUnitsPerMajor(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return 10 ** digits;
}

// Building an Intl.NumberFormat costs far more than formatting with one (it showed in the bench's
// profile of every message render), so each currency's formatters are built once and reused.
const formatCache = new Map<string, Intl.NumberFormat>();
const shortFormatCache = new Map<string, Intl.NumberFormat>();

/** "$75,000.00", "¥1,200", "€9.50"; in de-DE "75.000,00 $", "1.234,00 €". */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let format = formatCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatCache.set(key, format);
  }
  return format.format(minor / minorUnitsPerMajor(currency));
}

/** "$75k", "$1.2M": for dense tables and digests. */
export function formatMoneyShort(minor: number, currency: string, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let format = shortFormatCache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    });
    shortFormatCache.set(key, format);
  }
  return format.format(minor / minorUnitsPerMajor(currency));
}

export type MoneyParse =
  | { readonly ok: true; readonly minor: number }
  | { readonly ok: false; readonly reason: string };

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, b: 1e9, bn: 1e9 };

/**
 * Parses an amount a person typed. Accepts thousands separators (`,` `_` spaces), an optional
 * currency symbol or code, and k / m / bn suffixes. Rounds to the currency's minor unit.
 */
export function parseMoneyInput(text: string, currency: string): MoneyParse {
  const cleaned = text
    .trim()
    .replace(new RegExp(`\\b${currency}\\b`, 'i'), '')
    .replace(/[$€£¥₹]/g, '')
    .replace(/[,_\s]/g, '')
    .toLowerCase();
  const m = /^(-?)(\d+(?:\.\d+)?|\.\d+)(k|mm|m|bn|b)?$/.exec(cleaned);
  if (!m?.[2]) {
    return { ok: false, reason: `Enter the value as a number in ${currency}, e.g. 75000 or 75k.` };
  }
  const major = Number(m[2]) * (m[3] ? (SUFFIX[m[3]] ?? 1) : 1) * (m[1] ? -1 : 1);
  const minor = Math.round(major * minorUnitsPerMajor(currency));
  if (!Number.isFinite(minor)) return { ok: false, reason: 'That value is too large.' };
  return { ok: true, minor };
}

/**
 * Minor units as the plain decimal a person would type ("1234.56" for 123456 USD cents), exact:
 * integer arithmetic, no float division. The HTTP API sends minor units through the same
 * validation as the form with it.
 */
export function minorToInput(minor: number, currency: string): string {
  const per = minorUnitsPerMajor(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const major = Math.floor(abs / per);
  if (per === 1) return `${sign}${major}`;
  const digits = String(per).length - 1;
  return `${sign}${major}.${String(abs % per).padStart(digits, '0')}`;
}
