// @ts-check
// Holds back or refuses the test server's answer for chosen paths, so that the browser tests can
// see the element while a language chunk is on its way, and after its load failed. A test sets
// a gate with `executeServerCommand('chunk-gate', {path, action})`:
//   hold  requests for `path` wait until the gate opens
//   fail  requests for `path` get a 404 until the gate opens
//   open  the gate goes; held requests are answered as usual
// It only sees requests that the browser makes: the config turns Chromium's cache off.

/**
 * @typedef {{ path: string, action: 'hold' | 'fail' | 'open' }} GateCommand
 * @typedef {{ failing: boolean, opened: Promise<void>, open: () => void }} Gate
 */

/**
 * The web-test-runner plugin that takes the commands, and the server middleware that applies
 * them (give it to the config's `middleware`: it must run before any file is served).
 */
export function chunkGatePlugin() {
  /** @type {Map<string, Gate>} */
  const gates = new Map();
  return {
    name: 'pingone-connect-chunk-gate',
    /** @type {import('@web/dev-server-core').Middleware} */
    async middleware(context, next) {
      const gate = gates.get(context.path);
      if (!gate?.failing) {
        await gate?.opened;
        return next();
      }
      context.status = 404;
      context.body = 'Refused by the chunk gate';
    },
    /** @param {{ command: string, payload?: unknown }} args */
    executeCommand({ command, payload }) {
      if (command !== 'chunk-gate') return undefined;
      const { path, action } = /** @type {GateCommand} */ (payload);
      gates.get(path)?.open();
      gates.delete(path);
      if (action === 'open') return true;
      /** @type {() => void} */
      let open = () => {};
      const opened = new Promise((resolve) => {
        open = () => resolve(undefined);
      });
      gates.set(path, { failing: action === 'fail', opened, open });
      return true;
    },
  };
}
