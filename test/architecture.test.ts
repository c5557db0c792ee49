// Keeps the functional core pure: the domain imports no Slack, database, Node or process APIs
// and never reads the clock; services do not reach into slack/ or db/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gms)].map(
    (m) => m[1] as string,
  );
}

describe('architecture', () => {
  const domain = sourceFiles('src/domain');

  it('when the domain imports something then it is pure code only', () => {
    expect(domain.length).toBeGreaterThan(3);
    const forbidden =
      /^(@slack\/|drizzle-orm|better-sqlite3|node:|ws$|yaml$)|\/(slack|db|jobs|services)\/|\/config\.js$/;
    const offenders = domain.flatMap((f) =>
      imports(f)
        .filter((i) => forbidden.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('when the domain needs the time then it is given it, never reads the clock or process', () => {
    const offenders = domain.filter((f) => {
      const text = readFileSync(join(root, f), 'utf8').replace(/\/\/.*$/gm, '');
      return /Date\.now\(|new Date\(\)|process\.|performance\.now/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('when services import something then it is the domain or their own ports, not Slack or SQL', () => {
    const offenders = sourceFiles('src/services').flatMap((f) =>
      imports(f)
        .filter((i) => /^(@slack\/|drizzle-orm|better-sqlite3)|\/(slack|db|jobs)\//.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('when product code imports something then it is never the development code in dev/', () => {
    const product = sourceFiles('src');
    expect(product.length).toBeGreaterThan(20);
    const offenders = product.flatMap((f) =>
      imports(f)
        .filter(
          (i) => i === 'ws' || (i.startsWith('.') && /^dev\//.test(relative(root, join(root, f, '..', i)))),
        )
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('when the outbox table is written then it is by db/outbox-repo.ts only', () => {
    const offenders = sourceFiles('src').filter(
      (f) =>
        f !== 'src/db/outbox-repo.ts' &&
        /\b(insert|update|delete)\(outbox\)|(INSERT INTO|UPDATE|DELETE FROM) outbox\b/.test(
          readFileSync(join(root, f), 'utf8'),
        ),
    );
    expect(offenders).toEqual([]);
  });

  it('when code outside config.ts and the entry points reads process.env then it is caught', () => {
    const allowed = new Set(['src/config.ts', 'src/main.ts', 'src/cli.ts']);
    const offenders = sourceFiles('src').filter(
      (f) => !allowed.has(f) && readFileSync(join(root, f), 'utf8').includes('process.env'),
    );
    expect(offenders).toEqual([]);
  });
});
