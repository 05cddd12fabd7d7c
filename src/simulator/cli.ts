#!/usr/bin/env node
/**
 * The smsc-simulator command: runs an SmscSimulator until SIGINT/SIGTERM.
 * Prints 'SMSC simulator listening on HOST:PORT' (the real port) when ready.
 */
import { parseCliArgs, USAGE } from './cli-options';
import { SmscSimulator } from './smsc-simulator';
import { attachControl } from './cli-control';

const MO = { from: '+15550001111', to: '12345', text: 'hello from the simulator' };

async function main(argv: string[]): Promise<void> {
  let settings;
  try {
    settings = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`smsc-simulator: ${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (settings.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { options, moEveryMs, quiet } = settings;
  if (!quiet) options.log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const sim = new SmscSimulator(options);
  try {
    await sim.start();
  } catch (err) {
    process.stderr.write(`smsc-simulator: cannot listen on ${options.host}:${options.port}: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`SMSC simulator listening on ${sim.host}:${sim.port}\n`);
  if (!quiet) {
    const ids = (options.accounts ?? [{ systemId: 'test' }]).map((x) => x.systemId);
    process.stdout.write(ids.length === 0
      ? 'smsc-simulator: open-account mode (--accept-any): any system id and password may bind\n'
      : `smsc-simulator: accounts ${ids.join(', ')}; other logins are refused (--accept-any lets any bind)\n`);
  }
  if (settings.control) attachControl(sim, process.stdin, (line) => process.stdout.write(`${line}\n`));

  let moTimer: NodeJS.Timeout | null = null;
  if (moEveryMs > 0) {
    moTimer = setInterval(() => {
      sim.broadcastMo(MO).catch(() => undefined);
    }, moEveryMs);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.exit(1); // a second signal: do not wait any more
    }
    stopping = true;
    if (moTimer) clearInterval(moTimer);
    if (!quiet) process.stdout.write(`smsc-simulator: ${signal}, stopping\n`);
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`smsc-simulator: ${String(err)}\n`);
    process.exit(1);
  });
}
