import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const BROWSER_DIST = new URL('../../packages/widget/dist/browser/', import.meta.url);

/** Bytes of a file as shipped (minified) and gzipped at level 9. */
export interface Size {
  min: number;
  gzip: number;
}

/** The widget's two browser bundles, and what Lit adds to the single file. */
export interface BundleSizes {
  /** `pingone-connect.js`: the element with Lit, for a `<script>` tag. */
  single: Size;
  /** `pingone-connect.lit-external.js`: the element alone, importing `lit`. */
  litExternal: Size;
  /** The single file minus the Lit-external one. */
  litShare: Size;
}

async function sizeOf(name: string): Promise<Size> {
  const code = await readFile(new URL(name, BROWSER_DIST));
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** Measures the built bundles (`pnpm --filter @pingone-connect/widget run build`). */
export async function measureBundles(): Promise<BundleSizes> {
  const [single, litExternal] = await Promise.all([
    sizeOf('pingone-connect.js'),
    sizeOf('pingone-connect.lit-external.js'),
  ]);
  return {
    single,
    litExternal,
    litShare: { min: single.min - litExternal.min, gzip: single.gzip - litExternal.gzip },
  };
}
