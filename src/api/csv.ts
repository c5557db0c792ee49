// CSV in and out (csv-parse / csv-stringify from the `csv` project: quoting, embedded newlines,
// BOMs and line numbers are theirs, not string splitting). An import row is exactly an API call:
// the header names the API's fields, each row runs through the same route (schemas, service,
// refusal mapping, external_id), and all rows share one transaction: one bad row and nothing is
// imported, with every bad row reported by its line.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ExportRow } from '../domain/export.js';
import type { Answer, Once, RawInput, Route } from './route.js';
import type { ErrorAnswer } from './schemas.js';

export const IMPORT_KINDS = ['deliveries', 'payments', 'capacity'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

interface ImportSpec {
  readonly operationId: string;
  /** Columns that go into the path rather than the body. */
  readonly pathColumns: readonly string[];
  readonly required: readonly string[];
  readonly columns: readonly string[];
  readonly numeric: readonly string[];
  readonly operation: (params: Record<string, string>) => string;
}

const SPECS: Readonly<Record<ImportKind, ImportSpec>> = {
  deliveries: {
    operationId: 'recordDelivery',
    pathColumns: ['reference'],
    required: ['reference'],
    columns: ['reference', 'delivered_on', 'quantity', 'external_id'],
    numeric: ['quantity'],
    operation: (p) => `POST /api/v1/promises/${p.reference}/deliveries`,
  },
  payments: {
    operationId: 'recordPayment',
    pathColumns: ['reference'],
    required: ['reference'],
    columns: ['reference', 'paid_on', 'amount_minor', 'external_id'],
    numeric: ['amount_minor'],
    operation: (p) => `POST /api/v1/promises/${p.reference}/payments`,
  },
  capacity: {
    operationId: 'setCapacity',
    pathColumns: ['product_line', 'date'],
    required: ['product_line', 'date', 'capacity'],
    columns: ['product_line', 'date', 'capacity', 'external_id'],
    numeric: ['capacity'],
    operation: (p) => `PUT /api/v1/capacity/${p.product_line}/${p.date}`,
  },
};

export interface ImportDeps {
  readonly routes: readonly Route[];
  /** The store's write transaction: the whole file commits, or none of it. */
  readonly transaction: <T>(fn: () => T) => T;
  readonly once: (operation: string) => Once;
}

export type ImportResult =
  | { readonly ok: true; readonly imported: number; readonly alreadyImported: number }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Thrown inside the transaction to roll the whole file back once some row was refused. */
class RollBack extends Error {}

function describe(answer: Answer): string {
  const body = answer.body as ErrorAnswer;
  const fields = Object.entries(body.fields ?? {});
  return fields.length ? fields.map(([k, v]) => `${k}: ${v}`).join('; ') : body.message;
}

export function importCsv(deps: ImportDeps, kind: ImportKind, text: string): ImportResult {
  const spec = SPECS[kind];
  const route = deps.routes.find((r) => r.operationId === spec.operationId);
  if (!route) throw new Error(`no route ${spec.operationId}`);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (error) {
    return { ok: false, errors: [error instanceof Error ? error.message : String(error)] };
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const headerErrors = [
    ...header.filter((c) => !spec.columns.includes(c)).map((c) => `line 1: unknown column "${c}"`),
    ...spec.required
      .filter((c) => records.length && !header.includes(c))
      .map((c) => `line 1: missing column "${c}"`),
  ];
  if (headerErrors.length)
    return { ok: false, errors: [...headerErrors, `expected columns: ${spec.columns.join(',')}`] };
  if (!records.length) return { ok: false, errors: ['no rows: the file has no data under its header'] };

  const errors: string[] = [];
  let imported = 0;
  let alreadyImported = 0;
  try {
    deps.transaction(() => {
      for (const { record, info } of records) {
        const params: Record<string, string> = {};
        const body: Record<string, unknown> = {};
        for (const [column, value] of Object.entries(record)) {
          if (spec.pathColumns.includes(column)) params[column] = value;
          else if (value === '') continue;
          else body[column] = spec.numeric.includes(column) && /^-?\d+$/.test(value) ? Number(value) : value;
        }
        const input: RawInput = { params, query: {}, body };
        const answer = route.run(input, {
          actor: { kind: 'api', name: 'api' },
          once: deps.once(spec.operation(params)),
        });
        if (answer instanceof Promise) throw new Error(`${spec.operationId} is not synchronous`);
        if (answer.status >= 300) errors.push(`line ${info.lines}: ${describe(answer)}`);
        else if (answer.replayed) alreadyImported++;
        else imported++;
      }
      if (errors.length) throw new RollBack();
    });
  } catch (error) {
    if (error instanceof RollBack) return { ok: false, errors };
    throw error;
  }
  return { ok: true, imported, alreadyImported };
}

export function exportCsv(columns: readonly string[], rows: readonly ExportRow[]): string {
  return stringify(
    rows.map((row) => columns.map((c) => row[c] ?? '')),
    { header: true, columns: [...columns] },
  );
}
