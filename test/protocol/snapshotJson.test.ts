import assert from 'node:assert/strict';
import { decodeSnapshotJson, encodeSnapshotJson } from '../../src/protocol/snapshotJson';
import { sampleSnapshot } from './sampleMessages';

describe('snapshot JSON', () => {
  it('writes non-finite numbers as strings and reads them back as numbers', () => {
    const s = sampleSnapshot();
    const text = encodeSnapshotJson(s);
    assert.doesNotMatch(text, /[:,[]-?(NaN|Infinity)/, 'non-finite numbers are only ever written as strings');
    assert.match(text, /"values":\[1,"NaN"\]/, 'NaN is not turned into null');
    assert.match(text, /"Infinity"/);
    assert.match(text, /"-Infinity"/);
    const back = decodeSnapshotJson(text);
    assert.ok(back.ok, back.ok ? '' : back.error);
    if (!back.ok) return;
    assert.ok(Number.isNaN(back.value.nodes[0].tensor.values[1]));
    assert.deepEqual(back.value.nodes[0].grad!.values, [Infinity, -Infinity]);
    assert.ok(Number.isNaN(back.value.iterations!.series.n1.valueMean[1]));
    assert.ok(Number.isNaN(back.value.iterations!.series.n1.gradNorm[0]));
    assert.deepEqual(back.value.edges, s.edges);
  });

  it('keeps strings that merely look like numbers', () => {
    const s = sampleSnapshot();
    s.nodes[0].label = 'NaN';
    s.nodes[0].varName = 'Infinity';
    const back = decodeSnapshotJson(encodeSnapshotJson(s));
    assert.ok(back.ok);
    if (back.ok) {
      assert.equal(back.value.nodes[0].label, 'NaN');
      assert.equal(back.value.nodes[0].varName, 'Infinity');
    }
  });

  it('rejects text that is not a snapshot', () => {
    assert.equal(decodeSnapshotJson('{').ok, false);
    assert.equal(decodeSnapshotJson('{"version": 1}').ok, false);
    assert.equal(decodeSnapshotJson('[]').ok, false);
  });
});
