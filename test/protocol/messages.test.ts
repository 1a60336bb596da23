import assert from 'node:assert/strict';
import {
  checkSnapshotIntegrity, parseFromWorker, parseGraphSnapshot, parseHostToWebview, parseHostToWorker, parseWebviewToHost,
} from '../../src/protocol/messages';
import { sampleFromWorker, sampleHostToWebview, sampleHostToWorker, sampleSnapshot, sampleWebviewToHost } from './sampleMessages';

type Parser = (value: unknown) => { ok: boolean; error?: string };

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 3 ? 7 : 10));
  switch (k) {
    case 0: return null;
    case 1: return undefined;
    case 2: return r() < 0.5;
    case 3: return [NaN, Infinity, -1, 0, 1.5, 2 ** 60][Math.floor(r() * 6)];
    case 4: return ['', 'log', 'setGraph', 'ready', '<img src=x onerror=alert(1)>', 'x'.repeat(300)][Math.floor(r() * 6)];
    case 5: return { v: 1, type: ['log', 'snapshot', 'setGraph', 'ready', 'export', 'start'][Math.floor(r() * 6)] };
    case 6: return Symbol('s');
    case 7: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (const key of ['v', 'type', 'runId', 'snapshot', 'entry', 'nodeId', 'location', 'format']) {
        if (r() < 0.5) o[key] = randomValue(r, depth + 1);
      }
      return o;
    }
  }
}

/** Every path to a value inside `root` (objects and arrays), skipping free-form `attrs`. */
function paths(root: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof root !== 'object' || root === null || root instanceof SharedArrayBuffer) return [];
  const out: (string | number)[][] = [];
  for (const [k, child] of Object.entries(root)) {
    if (k === 'attrs') continue;
    const key = Array.isArray(root) ? Number(k) : k;
    out.push([...prefix, key], ...paths(child, [...prefix, key]));
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = value;
}

const families: { name: string; parse: Parser; samples: () => unknown[] }[] = [
  { name: 'FromWorker', parse: parseFromWorker, samples: sampleFromWorker },
  { name: 'HostToWebview', parse: parseHostToWebview, samples: sampleHostToWebview },
  { name: 'WebviewToHost', parse: parseWebviewToHost, samples: sampleWebviewToHost },
  { name: 'HostToWorker', parse: parseHostToWorker, samples: () => [sampleHostToWorker()] },
];

describe('protocol messages', () => {
  for (const family of families) {
    describe(family.name, () => {
      it('accepts every well-formed message', () => {
        for (const m of family.samples()) {
          const parsed = family.parse(m);
          assert.ok(parsed.ok, `${JSON.stringify((m as { type: string }).type)}: ${parsed.error}`);
        }
      });

      it('rejects a wrong version, an unknown type and non-objects', () => {
        for (const m of family.samples()) {
          assert.equal(family.parse({ ...(m as object), v: 2 }).ok, false);
          assert.equal(family.parse({ ...(m as object), type: 'nope' }).ok, false);
        }
        for (const junk of [null, undefined, 0, 'ready', [], [{ v: 1, type: 'ready' }], true]) {
          assert.equal(family.parse(junk).ok, false, `accepted ${String(junk)}`);
        }
      });

      it('rejects any value replaced by one of a type no field takes', () => {
        for (const m of family.samples()) {
          for (const p of paths(m)) {
            const copy = structuredCloneWithBuffers(m);
            setAt(copy, p, Symbol('not data'));
            assert.equal(family.parse(copy).ok, false, `accepted a symbol at ${p.join('.')}`);
          }
        }
      });

      it('never throws on random values, and rejects them', () => {
        const r = rng(family.name.length * 7919);
        for (let i = 0; i < 3000; i++) {
          const value = randomValue(r);
          let parsed: { ok: boolean };
          assert.doesNotThrow(() => { parsed = family.parse(value); });
          // Random data can only be valid by being one of the tiny messages (e.g. `ready`).
          if (parsed!.ok) assert.deepEqual(Object.keys(value as object).sort(), ['type', 'v']);
        }
      });

      it('never throws on random mutations of valid messages', () => {
        const r = rng(family.name.length * 104729);
        for (const m of family.samples()) {
          const all = paths(m);
          for (let i = 0; i < 300 && all.length > 0; i++) {
            const copy = structuredCloneWithBuffers(m);
            setAt(copy, all[Math.floor(r() * all.length)], randomValue(r));
            assert.doesNotThrow(() => family.parse(copy));
          }
        }
      });
    });
  }

  it('reports where a message is wrong', () => {
    const m = sampleFromWorker()[2] as { snapshot: { nodes: { tensor: { shape: unknown[] } }[] } };
    m.snapshot.nodes[1].tensor.shape[0] = -1;
    const parsed = parseFromWorker(m);
    assert.equal(parsed.ok, false);
    assert.match((parsed as { error: string }).error, /snapshot\.nodes\[1\]\.tensor\.shape\[0\]/);
  });

  it('survives a message whose properties throw when read', () => {
    const hostile = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    assert.equal(parseWebviewToHost(hostile).ok, false);
  });

  describe('snapshot scopeInfo (optional)', () => {
    it('accepts snapshots without it, as version 1 snapshots were written before it', () => {
      const s: Partial<ReturnType<typeof sampleSnapshot>> = sampleSnapshot();
      delete s.scopeInfo;
      assert.ok(parseGraphSnapshot(s).ok);
    });
    it('rejects entries that are not a composite or module with a backward name or null', () => {
      const bad: unknown[] = [
        { Linear: { kind: 'layer', gradFn: null } },
        { Linear: { kind: 'module' } },
        { matmul: { kind: 'composite', gradFn: 3 } },
        { matmul: { kind: 'composite', gradFn: '' } },
        ['Linear'],
      ];
      for (const scopeInfo of bad) {
        const r = parseGraphSnapshot({ ...sampleSnapshot(), scopeInfo });
        assert.equal(r.ok, false, JSON.stringify(scopeInfo));
        if (!r.ok) assert.match(r.error, /scopeInfo/);
      }
    });
  });

  describe('snapshot integrity', () => {
    it('accepts the sample', () => {
      assert.equal(checkSnapshotIntegrity(sampleSnapshot()), null);
      assert.ok(parseGraphSnapshot(sampleSnapshot()).ok);
    });
    it('rejects edges, bindings and roots that point nowhere, and duplicate ids', () => {
      const cases: ((s: ReturnType<typeof sampleSnapshot>) => void)[] = [
        (s) => { s.edges[0].source = 'missing'; },
        (s) => { s.bindings[0].nodeId = 'missing'; },
        (s) => { s.roots.push('missing'); },
        (s) => { s.nodes[1].id = 'n0'; },
        (s) => { s.edges.push({ ...s.edges[0] }); },
      ];
      for (const mutate of cases) {
        const s = sampleSnapshot();
        mutate(s);
        assert.notEqual(checkSnapshotIntegrity(s), null);
        assert.equal(parseFromWorker({ v: 1, type: 'snapshot', runId: 'r', snapshot: s }).ok, false);
        assert.equal(parseHostToWebview({ v: 1, type: 'setGraph', runId: 'r', snapshot: s, run: { file: 'a', status: 'ok', error: null, durationMs: 1 } }).ok, false);
      }
    });
  });
});

/** structuredClone keeps SharedArrayBuffers shared, which is what the worker start message needs. */
function structuredCloneWithBuffers<T>(value: T): T {
  return structuredClone(value);
}
