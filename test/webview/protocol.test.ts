/** What the page accepts from its host (the shared validator) and the page's own snapshot extension. */
import assert from 'node:assert/strict';
import type { GraphSnapshot } from '../../src/protocol/snapshot';
import { readScopeInfo } from '../../webview/model/scopeInfo';
import { parseToWebview } from '../../webview/protocol';
import { readFixture, setGraphMessage } from './harness';

const fixture = (): GraphSnapshot => JSON.parse(JSON.stringify(readFixture('tutorial.json'))) as GraphSnapshot;

describe('host → page messages', () => {
  it('accepts what the host sends', () => {
    const ok = [
      setGraphMessage(fixture()),
      { v: 1, type: 'setGraph', runId: 'r', snapshot: null, run: { file: '/a.ts', status: 'error', error: { kind: 'exception', name: 'Error', message: 'boom' }, durationMs: 3 } },
      { v: 1, type: 'runStarted', runId: 'r', file: '/a.ts' },
      { v: 1, type: 'revealNode', nodeId: 'w' },
      { v: 1, type: 'selectNodes', nodeIds: ['w', 'b'] },
      { v: 1, type: 'selectNodes', nodeIds: [] },
      { v: 1, type: 'theme', kind: 'high-contrast-light' },
    ];
    for (const m of ok) {
      const r = parseToWebview(m);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.message.type, (m as { type: string }).type);
    }
  });

  it('drops malformed messages with a reason naming the field', () => {
    const spoilt = fixture();
    (spoilt.nodes[3].tensor.values as unknown[])[1] = 'one';
    const bad: [unknown, RegExp][] = [
      [undefined, /message/],
      [{ type: 'setGraph' }, /message/],
      [{ v: 1, type: 'open' }, /message/],
      [{ v: 1, type: 'revealNode' }, /nodeId/],
      [{ v: 1, type: 'selectNodes', nodeIds: [1] }, /nodeIds\[0\]/],
      [{ v: 1, type: 'theme', kind: 'sepia' }, /kind/],
      [setGraphMessage(spoilt), /snapshot\.nodes\[3\]\.tensor\.values\[1\]/],
    ];
    for (const [m, why] of bad) {
      const r = parseToWebview(m);
      assert.equal(r.ok, false, JSON.stringify(m)?.slice(0, 80));
      if (!r.ok) assert.match(r.error, why);
    }
  });
});

describe('scopeInfo (the page\'s optional snapshot extension)', () => {
  it('reads well-formed entries and ignores the rest', () => {
    const s = fixture() as GraphSnapshot & { scopeInfo?: unknown };
    s.scopeInfo = JSON.parse('{"matmul": {"kind": "composite", "gradFn": "MmBackward0"}, "Linear": {"kind": "module"}, "bad": {"kind": "other"}, "worse": 3, "__proto__": {"kind": "module", "gradFn": null}}');
    const info = readScopeInfo(s);
    assert.deepEqual([...info.entries()], [
      ['matmul', { kind: 'composite', gradFn: 'MmBackward0' }],
      ['Linear', { kind: 'module', gradFn: null }],
      ['__proto__', { kind: 'module', gradFn: null }],
    ]);
    assert.equal(readScopeInfo(fixture()).size, 0);
  });
});
