#!/usr/bin/env node
// The registry mirror on the build machines serves only the linux-glibc builds of packages that
// ship one native binary per platform (Biome, Rollup). `npm install` then writes a lockfile
// without the other platforms' optional entries, and `npm ci` refuses it as "not in sync".
// This adds those entries the way npm itself writes them (version, os, cpu, libc, optional), so
// npm ci skips them on a non-matching platform without ever fetching them.
// Run after any `npm install` that changes the lockfile: `npm run lock:fix`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = { 'arm-eabi': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };

function platformOf(name) {
  const base = name.split('/').pop();
  const os = OS.find((o) => base.includes(`-${o}-`));
  const cpuKey = Object.keys(CPU)
    .sort((a, b) => b.length - a.length)
    .find((c) => base.includes(`-${c}`));
  if (!os || !cpuKey) return null;
  const libc = os === 'linux' ? (base.includes('musl') ? 'musl' : 'glibc') : undefined;
  return { os: [os], cpu: [CPU[cpuKey]], ...(libc ? { libc: [libc] } : {}) };
}

let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  if (!entry.optionalDependencies) continue;
  const prefix = key === '' ? 'node_modules/' : `${key}/node_modules/`;
  for (const [dep, version] of Object.entries(entry.optionalDependencies)) {
    if (packages[`${prefix}${dep}`] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[`node_modules/${dep}`] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`lock: added ${added} platform entries\n`);
