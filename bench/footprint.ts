// The installed production size: the folders npm itself lists as production dependencies
// (`npm ls --omit=dev --all --parseable`), measured with du, plus the project's own runtime files
// (dist/, migrations/, package.json: what the image copies). A proxy for `npm ci --omit=dev` that needs no second install.
import { execFileSync } from 'node:child_process';
import { ROOT } from './lib/processes.js';

export interface InstalledSize {
  readonly method: string;
  readonly packages: number;
  readonly dependencyBytes: number;
  readonly ownBytes: number;
  readonly totalBytes: number;
}

function duBytes(paths: readonly string[]): number {
  if (!paths.length) return 0;
  const out = execFileSync('du', ['-sbc', ...paths], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const total = /(\d+)\s+total\s*$/.exec(out.trim())?.[1];
  return Number(total ?? 0);
}

export function installedProductionSize(): InstalledSize {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('/node_modules/'));
  // Nested packages sit inside their parents' folders: count each folder once.
  const unique = [...new Set(listed)].sort();
  const roots = unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(`${q}/`)));
  const dependencyBytes = duBytes(roots);
  const ownBytes = duBytes(['dist', 'migrations', 'package.json']);
  return {
    method:
      'du -sb of the folders `npm ls --omit=dev --all --parseable` lists, plus dist/, migrations/, package.json (what the image copies)',
    packages: unique.length,
    dependencyBytes,
    ownBytes,
    totalBytes: dependencyBytes + ownBytes,
  };
}
