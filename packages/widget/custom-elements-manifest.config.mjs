// `cem analyze --litelement` reads this: the manifest is generated from the element's JSDoc.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // `dispatchEvent(new PingOneConnectStartEvent(…))` is also picked up as an event without a
      // name; the named entries come from the class JSDoc.
      name: 'drop-unnamed-events',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events)
              declaration.events = declaration.events.filter((event) => event.name);
          }
        }
      },
    },
  ],
};
