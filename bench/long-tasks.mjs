// The longest stretches of a .cpuprofile without an idle sample: what kept a thread's event loop
// busy in one piece, and what ran in it. `node bench/long-tasks.mjs PROFILE [minMs=20]`.
// (Plain JavaScript, run on node; a sample is ~1 ms apart by default. A stretch can also span
// several tasks run back to back with no idle between them: read it as an upper bound.)
import { readFileSync } from 'node:fs';

const [file, min = '20'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const isIdle = (id) => {
  const name = byId.get(id)?.callFrame.functionName;
  return name === '(idle)' || name === '(program)';
};
/** The project's frames under a sample (dist/ or src/), for naming a stretch. */
const ownFrames = (id) => {
  const frames = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur).callFrame;
    if (/\/(dist|src)\//.test(f.url))
      frames.push(`${f.functionName || '(anonymous)'} ${f.url.split(/\/(dist|src)\//)[2]}`);
  }
  // The two outermost (what started the task) and the innermost (where the time went).
  const named = frames.length > 3 ? [...frames.slice(-2).reverse(), '…', frames[0]] : frames.reverse();
  return named.join(' > ') || byId.get(id).callFrame.functionName;
};
const stretches = [];
let t = profile.startTime;
let start = null;
let names = new Map();
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i] ?? 0;
  if (isIdle(id)) {
    if (start !== null && (t - start) / 1000 >= Number(min))
      stretches.push({ ms: (t - start) / 1000, at: (start - profile.startTime) / 1e6, names });
    start = null;
    names = new Map();
    return;
  }
  start ??= t;
  const name = ownFrames(id);
  names.set(name, (names.get(name) ?? 0) + 1);
});
stretches.sort((a, b) => b.ms - a.ms);
for (const s of stretches.slice(0, 15)) {
  const top = [...s.names]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([n, c]) => `${c}x ${n}`);
  console.log(`${s.ms.toFixed(1)} ms at ${s.at.toFixed(1)} s: ${top.join(' | ')}`);
}
console.log(`${stretches.length} stretches of ${min} ms or more`);
