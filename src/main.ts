// The composition root: environment → config → runtime, and a graceful shutdown on signals.
import { ConfigError, loadConfig, parseEnv } from './config.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';
import { systemClock } from './services/ports.js';
import { StartupError } from './slack/create-app.js';

async function main(): Promise<void> {
  let env: ReturnType<typeof parseEnv>;
  let config: ReturnType<typeof loadConfig>;
  try {
    env = parseEnv(process.env);
    config = loadConfig(env.COMMIT_GATE_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  // Listened for from the start: /healthz answers before start-up has finished (the outbox worker
  // thread may still be loading), so a SIGTERM can come while startRuntime is still running.
  let runtime: Awaited<ReturnType<typeof startRuntime>> | undefined;
  let requested: string | undefined;
  const shutdown = (signal: string) => {
    requested = signal;
    if (!runtime) return;
    logger.info('shutting down', { signal });
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    runtime = await startRuntime({ env, config, clock: systemClock, logger });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = message.split('\n')[0];
    process.stderr.write(error instanceof StartupError ? `${line}\n` : `start-up failed: ${line}\n`);
    process.exit(1);
  }
  if (requested) shutdown(requested);
}

await main();
