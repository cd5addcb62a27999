import { HookboxError } from '../errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { approveCommand } from './approve-command.js';
import { cacheCommand } from './cache-command.js';
import { doctorCommand } from './doctor-command.js';
import { diffCommand } from './diff-command.js';
import { initCommand } from './init-command.js';
import { shimCommand } from './shim-command.js';
import { installCommand } from './install-command.js';
import { releaseEarlySignals } from './early-signals.js';
import { INSTALL_COMMANDS, parseArgs } from './parse-args.js';
import { reportCommand } from './report-command.js';
import { scanCommand } from './scan-command.js';
import { toolVersion } from './tool-version.js';

const HELP = `hookbox — npm/yarn install with every dependency install hook sandboxed, traced and judged

Usage:
  hookbox install [npm args...]   npm install with scripts off, then every hook sandboxed
                                  (the project's package manager: packageManager field or
                                  lockfile; in a Yarn project this is yarn install / yarn add)
  hookbox ci [npm args...]        the same for npm ci (for CI: non-interactive, fails closed)
  hookbox update [npm args...]    the same for npm update
  hookbox rebuild [pkg...]        re-run install hooks, sandboxed
  hookbox npm <command> [args...] npm install|ci|update|rebuild explicitly
  hookbox yarn [command] [args...] yarn [install]|add|upgrade|remove explicitly (Yarn 1 or Berry)
  hookbox scan [--json]           list the hooks an install would run and their policy status
  hookbox report FILE             a saved report as text (default), markdown, html or json
        [--format F] [--out FILE] (--out report.html or .md picks the format too)
  hookbox diff OLD NEW            what changed between two reports: hooks added/removed, scripts,
        [--format F] [--out FILE] verdicts, new programs, paths written, network, DNS
                                  (F: text, markdown or json)
  hookbox approve [pkg...|--all]  add policy entries for what a report observed
        [--from REPORT] [--yes]   (default: the newest report; --yes writes without asking)
  hookbox shim install|remove     npm and yarn shims: installs go through hookbox, every other
        [--dir DIR]               command runs the real binary (default dir: ~/.hookbox/shims)
  hookbox init                    ignore-scripts=true in .npmrc and enableScripts: false in
                                  .yarnrc.yml, so installs that bypass hookbox run no hook
  hookbox doctor [--build-image]  which sandboxes work here and why not; builds the docker image
        [--sandbox S]             (with --sandbox: that one only, exit 5 when it does not work)
  hookbox cache prune             drop cached hook results unused for --max-age DAYS (30),
        [--max-age DAYS] [--all]  or all of them

Options (hookbox's own; everything else goes to npm or yarn):
  --policy FILE                   the allowlist (default: ./hookbox.policy.json)
  --on-block fail|warn            exit 3 when a hook is blocked (fail, default) or 0 (warn)
                                  (ci, and install with CI set, append the Markdown report to
                                  $GITHUB_STEP_SUMMARY when that variable names a file)
  --report FILE                   where to write the JSON report (default: .hookbox/reports/<time>.json)
  --sandbox bwrap|docker|auto     sandbox backend (default: auto: bwrap if it works, else docker)
  --concurrency N                 hooks run at once within a phase (default: CPU count)
  --hook-timeout SECONDS          kill a hook after this long (default: 600)
  --no-trace                      do not record syscalls (faster, less evidence)
  --no-cache                      run every hook, even one with a verified cached result
  --cache-dir DIR                 hook-result cache (default: $HOOKBOX_CACHE_DIR or ~/.cache/hookbox)
  -h, --help                      this text
  -v, --version                   hookbox's version

Exit codes: 0 ok, 1 a hook failed, 2 bad usage or input, 3 a hook was blocked,
4 the package manager failed, 5 no sandbox available, 6 other error, 130 interrupted.`;

async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options.version) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  if (options.help || options.command === '' || options.command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return options.help || options.command === 'help' ? EXIT.ok : EXIT.usage;
  }
  if (!INSTALL_COMMANDS.has(options.command)) releaseEarlySignals();
  switch (options.command) {
    case 'report':
      return reportCommand(options);
    case 'diff':
      return diffCommand(options);
    case 'approve':
      return approveCommand(options);
    case 'scan':
      return scanCommand(options);
    case 'cache':
      return cacheCommand(options);
    case 'doctor':
      return doctorCommand(options);
    case 'shim':
      return shimCommand(options);
    case 'init':
      return initCommand(options);
    default:
      return installCommand(options);
  }
}

// A command whose work stalls with nothing left to wait for would let node exit 0: never
// report success for work that did not finish.
let settled = false;
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  process.stderr.write('hookbox: internal error: stopped before finishing (nothing was left to wait for); please report this\n');
  process.exitCode = EXIT.error;
});

// How long a finished command may wait for the event loop to empty by itself.
const LINGER_MS = 3_000;

// The command has finished and said so: the exit code is final. Whatever is still open now is a
// leak (e.g. a Docker attach connection the engine never closes for a container removed before
// it started, after a Ctrl-C), and must not keep hookbox, and the user's terminal or CI job,
// waiting forever: nothing can end it then, as a further Ctrl-C is taken for the one already
// being handled. The timer is unref'd, so a clean finish exits at once, as before.
function finish(code: number): void {
  settled = true;
  process.exitCode = code;
  const linger = (): void => {
    // Output still being written (a slow pipe reader) is not a leak: it is the command's result.
    if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) {
      setTimeout(linger, 100).unref();
      return;
    }
    const open = process.env['HOOKBOX_DEBUG'] ? ` (open: ${process.getActiveResourcesInfo().join(', ')})` : '';
    process.stderr.write(`hookbox: internal warning: something was still open ${LINGER_MS / 1000} s after finishing${open}; exiting with ${code} anyway; please report this\n`);
    process.exit(code);
  };
  setTimeout(linger, LINGER_MS).unref();
}

main(process.argv.slice(2)).then(finish, (error: unknown) => {
  if (error instanceof HookboxError) {
    process.stderr.write(`hookbox: error ${error.code}: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hookbox: ${error.hint}\n`);
    finish(exitCodeFor(error.code));
  } else {
    process.stderr.write(`hookbox: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    finish(EXIT.error);
  }
});
