/** The Chromium executable the browser tests launch. */
export declare const CHROMIUM_PATH: string;
/** The command-line flags the browser tests launch it with. */
export declare const CHROMIUM_ARGS: string[];
