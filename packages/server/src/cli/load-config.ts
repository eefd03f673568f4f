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

/**
 * An error's message, and its cause's, for a one-line report: a failed migration says which
 * and why. Never a secret: the store's and the driver's errors name no stored value.
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
