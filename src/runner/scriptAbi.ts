/**
 * The names shared by the code that prepares the user's script (host: bundle + instrumentation)
 * and the code that runs it (worker). Kept apart so the worker bundle pulls in neither esbuild
 * nor the parser.
 */

/** Helpers the instrumented code calls (see NOTE [Call-site register] in instrument/instrument.ts). */
export const HELPERS = { at: '__gs$at', bind: '__gs$bind', tick: '__gs$tick' } as const;

/** Identifier the bundle uses for `import.meta.url` (the worker passes the file's URL). */
export const IMPORT_META_URL = '__gs$importMetaUrl';

/** The module specifiers the worker resolves to its own library instance. */
export const LIBRARY_SPECIFIER = /^gradscope(\/.*)?$/;
