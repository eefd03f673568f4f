import { EXIT, type Command, type Environment, type ExitCode, type Output } from './io.js';
import { KEYS_USAGE, generateKeyCommand, keysCommand } from './keys.js';
import { MIGRATE_USAGE, migrateCommand } from './migrate.js';
import { ROTATE_USAGE, rotateEncryptionKeyCommand } from './rotate-encryption-key.js';
import { SERVE_USAGE, serveCommand } from './serve.js';

const USAGE = `Usage: pingone-connect-server [--dev]             run the server
       pingone-connect-server keys generate        print a .env block of fresh keys
       pingone-connect-server keys generate-jwk    print a private_key_jwt key pair
       pingone-connect-server rotate-encryption-key [--check]
       pingone-connect-server migrate              run the migrations and exit
       pingone-connect-server <command> --help

Exit codes: 0 done, 1 failed (see the message), 2 bad argument or configuration.`;

/** The commands by name, each with its help. */
const COMMANDS: Readonly<Record<string, { run: Command; usage: string }>> = {
  keys: { run: keysCommand, usage: KEYS_USAGE },
  'generate-key': { run: generateKeyCommand, usage: KEYS_USAGE },
  'rotate-encryption-key': { run: rotateEncryptionKeyCommand, usage: ROTATE_USAGE },
  migrate: { run: migrateCommand, usage: MIGRATE_USAGE },
};

/** Runs the command `argv` names (none: the server) and returns its exit code. */
export async function runCli(
  argv: readonly string[],
  env: Environment,
  out: Output,
): Promise<ExitCode> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command) return command.run(args, env, out);
  if (argv.includes('--help') || argv.includes('-h')) {
    out.stdout.write(`${USAGE}\n\n${SERVE_USAGE}\n`);
    return EXIT.ok;
  }
  if (name !== undefined && !name.startsWith('-')) {
    out.stderr.write(`Unknown command: ${name}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  return serveCommand(argv, env, out);
}
