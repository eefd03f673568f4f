import { ConfigError, loadConfig, type Config } from '../config.js';
import type { Environment, Output } from './io.js';

/** The configuration, or undefined after the issues are printed (the caller exits with 2). */
export function configOrReport(env: Environment, out: Output): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      out.stderr.write(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

/** An error's message for a one-line report (never a secret: errors here name no value). */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
