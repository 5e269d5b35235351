#!/usr/bin/env node
// The `datafast-devserver` command: parse flags, start the server, print how to reach it, and
// shut down cleanly (data file flushed) on SIGINT or SIGTERM.
import { runAppCommand } from './cli/app-command.js';
import { appEnvironment, appUrlOf, banner } from './cli/banner.js';
import type { DevServer } from './devserver.js';
import { DevServerConfigError, DevServerDataError } from './errors.js';
import { type ConfigSettings, readConfigFile } from './settings/config.js';
import { type CliFlags, parseFlags, UsageError } from './settings/flags.js';
import { usage } from './settings/usage.js';
import { startWithSettings } from './start.js';
import { VERSION } from './version.js';

async function main(argv: string[]): Promise<number> {
  let flags: CliFlags;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`datafast-devserver: ${error.message}\nRun datafast-devserver --help for usage.`);
    return 2;
  }
  if (flags.help) {
    console.log(usage());
    return 0;
  }
  if (flags.version) {
    console.log(VERSION);
    return 0;
  }

  let dev: DevServer;
  let config: ConfigSettings = {};
  try {
    const appUrl = appUrlOf(flags);
    if (flags.configPath) config = (await readConfigFile(flags.configPath, { appUrl })).settings;
    // Both already checked: flags add allowed hosts, and override the file's faults one by one.
    dev = await startWithSettings(
      {
        ...config,
        allowedHosts: [...(config.allowedHosts ?? []), ...flags.allowedHosts],
        faults: { ...config.faults, ...flags.faults },
        port: flags.port,
        host: flags.host,
        quiet: flags.quiet,
        ...(flags.dataFile !== undefined ? { dataFile: flags.dataFile } : {}),
        ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
        ...(flags.bodyLimit !== undefined ? { bodyLimit: flags.bodyLimit } : {}),
        ...(flags.controlToken !== undefined ? { controlToken: flags.controlToken } : {}),
        appUrl,
        log: (line) => console.log(`${new Date().toISOString()} ${line}`),
      },
      flags.configPath,
    );
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (error instanceof DevServerConfigError || error instanceof DevServerDataError) {
      console.error(`datafast-devserver: ${e.message}`);
    } else if (e.code === 'EADDRINUSE') {
      console.error(
        `datafast-devserver: port ${flags.port} on ${flags.host} is in use; pass --port`,
      );
    } else {
      console.error(`datafast-devserver: could not start: ${e.message}`);
    }
    return 1;
  }

  if (flags.appCommand) {
    // The app's command owns the signals; the devserver stops after it, so it still receives
    // the reports the app flushes on its way out.
    const run = runAppCommand(flags.appCommand, appEnvironment(dev, flags, config));
    console.log(banner(dev, flags, config, flags.controlToken));
    const code = await run;
    await dev.close();
    console.log(
      `datafast-devserver: stopped${flags.dataFile ? `; data saved to ${flags.dataFile}` : ''}`,
    );
    return code;
  }

  // Listen for signals before the banner: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`datafast-devserver: ${signal} again, exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      console.log(`datafast-devserver: ${signal} received, shutting down`);
      dev.close().then(resolve, (error: unknown) => {
        console.error(`datafast-devserver: shutdown failed: ${(error as Error).message}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log(banner(dev, flags, config, flags.controlToken));
  await stopped;
  console.log(
    `datafast-devserver: stopped${flags.dataFile ? `; data saved to ${flags.dataFile}` : ''}`,
  );
  return process.exitCode === 1 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`datafast-devserver: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
