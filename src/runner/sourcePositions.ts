/**
 * Positions in generated code → positions in the user's sources, through esbuild's source map
 * (bundle → sources) and, for the running script, the instrumentation's map first
 * (instrumented code → bundle). Used by the instrumenter (static call sites) and by the worker
 * (error stacks); never on the per-op hot path.
 */
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import path from 'node:path';

export interface OriginalPosition {
  /** Index into the bundle map's sources. */
  source: number;
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  /** 0-based (as in source maps). */
  column: number;
}

/** esbuild's source map of the bundle, with the original texts it embeds. */
export class BundleSourceMap {
  private readonly map: TraceMap;
  private readonly files: string[];
  private readonly sourceIndex = new Map<string, number>();
  private readonly lineCache = new Map<number, string[]>();

  /** `bundleDir`: the directory the bundle's `sources` are relative to. */
  constructor(mapJson: string, bundleDir: string) {
    this.map = new TraceMap(mapJson);
    const sources = this.map.sources;
    this.files = sources.map((s) => path.resolve(bundleDir, s ?? ''));
    sources.forEach((s, i) => { if (s !== null) this.sourceIndex.set(s, i); });
  }

  /** Original position of a bundle position (`line` 1-based, `column` 0-based), or null for generated code. */
  original(line: number, column: number): OriginalPosition | null {
    const p = originalPositionFor(this.map, { line, column });
    if (p.source === null || p.line === null || p.column === null) return null;
    const source = this.sourceIndex.get(p.source) ?? this.map.resolvedSources.indexOf(p.source);
    if (source < 0) return null;
    return { source, file: this.files[source], line: p.line, column: p.column };
  }

  /** A line (1-based) of an original source, when the map embeds its content. */
  lineText(source: number, line: number): string | undefined {
    let lines = this.lineCache.get(source);
    if (!lines) {
      const content = this.map.sourcesContent?.[source];
      if (content === null || content === undefined) return undefined;
      lines = content.split(/\r\n|\r|\n/);
      this.lineCache.set(source, lines);
    }
    return lines[line - 1];
  }

  /** The user's own files: not generated, not a dependency under node_modules. */
  isUserFile(source: number): boolean {
    return !this.files[source].split(path.sep).includes('node_modules');
  }

  fileOf(source: number): string {
    return this.files[source];
  }
}

/** Maps positions of the instrumented script (what V8 runs) to the user's sources. */
export class ScriptPositions {
  private instrumentMap: TraceMap | null = null;
  private bundle: BundleSourceMap | null = null;
  private readonly cache = new Map<number, OriginalPosition | null>();

  constructor(private readonly instrumentMapJson: string, private readonly bundleMapJson: string,
    private readonly bundleDir: string) {}

  /** `line` 1-based and `column` 0-based in the instrumented code. */
  original(line: number, column: number): OriginalPosition | null {
    const key = line * 1_000_000 + column;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    this.instrumentMap ??= new TraceMap(this.instrumentMapJson);
    this.bundle ??= new BundleSourceMap(this.bundleMapJson, this.bundleDir);
    const p = originalPositionFor(this.instrumentMap, { line, column });
    const result = p.line === null || p.column === null ? null : this.bundle.original(p.line, p.column);
    this.cache.set(key, result);
    return result;
  }

  isUserFile(source: number): boolean {
    this.bundle ??= new BundleSourceMap(this.bundleMapJson, this.bundleDir);
    return this.bundle.isUserFile(source);
  }
}
