// Replays the Dockerfile without Docker (CI has no engine): the project as a clean clone would
// have it becomes the build context, each stage gets a folder standing in for its filesystem,
// and COPY / WORKDIR / RUN / ENV are performed as Docker performs them. The final stage's RUN
// lines (OS setup: users, /data) are skipped and reported; its ENV, HEALTHCHECK and CMD are
// returned so the caller can start the bot exactly as the image would.
// The Dockerfile points back here; test/e2e/production-recipe.test.ts is the caller.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string;
  readonly image: string;
  readonly instructions: Instruction[];
}

export interface StepTiming {
  readonly stage: string;
  readonly instruction: string;
  readonly ms: number;
}

export interface Recipe {
  /** The final stage's WORKDIR, as a folder on this machine. */
  readonly appDir: string;
  /** The final stage's ENV. */
  readonly env: Readonly<Record<string, string>>;
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[];
  readonly steps: readonly StepTiming[];
  readonly skipped: readonly string[];
}

/** Splits a Dockerfile into stages of instructions (continuations joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue;
      line = `${line.trimEnd().slice(0, -1)} ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile:${start + 1}: cannot parse "${line}"`);
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile:${start + 1}: cannot parse FROM`);
      stages.push({ image: from[1] ?? '', name: from[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile:${start + 1}: ${keyword} before FROM`);
    stage.instructions.push({ keyword, args, line: start + 1 });
  }
  return stages;
}

/** `ENV A=1 B="two"` → {A: '1', B: 'two'} (the key=value form only). */
function parseEnvArgs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) out[m[1] ?? ''] = m[3] ?? m[2] ?? '';
  return out;
}

function jsonArray(args: string, where: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string'))
    throw new Error(`${where}: expected the JSON (exec) form`);
  return parsed;
}

/**
 * .dockerignore as Docker reads it, for the patterns this project uses: one pattern per line,
 * `#` comments, `*` within a path segment, `!` to re-include; a pattern matching a folder
 * excludes everything under it.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split('/')
        .map((seg) =>
          seg
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('/');
      return { negate, regex: new RegExp(`^${source}(/.*)?$`) };
    });
  return (path) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negate;
    return ignored;
  };
}

/** Tracked and untracked-but-not-ignored files: what a clean clone of a committed tree holds. */
export function projectFiles(root: string): string[] {
  const r = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
  return r.stdout.split('\0').filter((f) => f && existsSync(join(root, f)));
}

/** A shell command, without blocking the event loop (a test runner must keep talking meanwhile). */
function run(
  command: string,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output }));
  });
}

export interface ReplayOptions {
  /** The project to build (its Dockerfile and files). */
  readonly root: string;
  /** An empty scratch folder. */
  readonly workDir: string;
  /** Environment for RUN steps (PATH, HOME, npm settings); NODE_ENV is never passed on. */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

export async function replayDockerfile({ root, workDir, baseEnv }: ReplayOptions): Promise<Recipe> {
  const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const context = join(workDir, 'context');
  const ignorePath = join(root, '.dockerignore');
  const ignored = dockerignore(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : '');
  for (const file of projectFiles(root).filter((f) => !ignored(f))) {
    mkdirSync(join(context, posix.dirname(file)), { recursive: true });
    cpSync(join(root, file), join(context, file));
  }
  const fsRoots = new Map<string, string>();
  const steps: StepTiming[] = [];
  const skipped: string[] = [];
  let result: Omit<Recipe, 'steps' | 'skipped'> | undefined;

  for (const [index, stage] of stages.entries()) {
    const final = index === stages.length - 1;
    const fsRoot = join(workDir, 'stages', stage.name);
    fsRoots.set(stage.name, fsRoot);
    mkdirSync(fsRoot, { recursive: true });
    let workdir = '/';
    const env: Record<string, string> = {};
    let cmd: string[] = [];
    let healthcheck: string[] = [];
    const onDisk = (p: string) => join(fsRoot, posix.resolve(workdir, p));

    for (const ins of stage.instructions) {
      const where = `Dockerfile:${ins.line} ${ins.keyword}`;
      const started = Date.now();
      switch (ins.keyword) {
        case 'WORKDIR':
          workdir = posix.resolve(workdir, ins.args);
          mkdirSync(onDisk('.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(env, parseEnvArgs(ins.args));
          break;
        case 'COPY': {
          const words = ins.args.split(/\s+/);
          const flags = words.filter((w) => w.startsWith('--'));
          const paths = words.filter((w) => !w.startsWith('--'));
          const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
          const dest = paths.pop();
          if (!dest || paths.length === 0) throw new Error(`${where}: expected sources and a destination`);
          const sourceRoot = from === undefined ? context : fsRoots.get(from);
          if (!sourceRoot) throw new Error(`${where}: unknown stage ${from}`);
          const intoDir = dest.endsWith('/') || paths.length > 1;
          for (const src of paths) {
            const source = from === undefined ? join(context, src) : join(sourceRoot, src);
            if (!existsSync(source)) throw new Error(`${where}: ${src} does not exist in the source`);
            const target = intoDir ? join(onDisk(dest), posix.basename(src)) : onDisk(dest);
            cpSync(source, target, { recursive: true, verbatimSymlinks: true });
          }
          break;
        }
        case 'RUN': {
          if (final) {
            skipped.push(`${where} ${ins.args}`);
            continue;
          }
          const { NODE_ENV: _ignored, ...inherited } = baseEnv;
          const r = await run(ins.args, onDisk('.'), { ...inherited, ...env });
          if (r.status !== 0) throw new Error(`${where} ${ins.args} failed (${r.status}):\n${r.output}`);
          break;
        }
        case 'CMD':
          cmd = jsonArray(ins.args, where);
          break;
        case 'HEALTHCHECK': {
          const at = ins.args.indexOf('CMD ');
          if (at < 0) throw new Error(`${where}: expected CMD`);
          healthcheck = jsonArray(ins.args.slice(at + 4).trim(), where);
          break;
        }
        case 'USER':
        case 'VOLUME':
        case 'EXPOSE':
        case 'LABEL':
          skipped.push(`${where} ${ins.args}`);
          continue;
        default:
          throw new Error(`${where}: the replay does not know this instruction; teach it or avoid it`);
      }
      steps.push({ stage: stage.name, instruction: `${ins.keyword} ${ins.args}`, ms: Date.now() - started });
    }
    if (final) result = { appDir: onDisk('.'), env, cmd, healthcheck };
  }
  if (!result) throw new Error('Dockerfile has no stages');
  return { ...result, steps, skipped };
}
