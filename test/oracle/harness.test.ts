/**
 * The oracle harness itself: its comparison rules must reject what differs (a harness that
 * accepts everything would make every family pass), and its translation of Python names and
 * values must be the documented one.
 */
import assert from 'node:assert/strict';
import { bitPattern, closeEnough, stringDifference, tensorProblems } from './compare';
import { camelCase } from './interpreter';
import { normaliseOurOutput, splitNumbers, stdoutProblems } from './stdoutCheck';

const TOL = { rtol: 1e-5, atol: 1e-6 };

describe('oracle harness', () => {
  describe('compare', () => {
    it('applies |got - exp| <= atol + rtol * |exp|', () => {
      assert.ok(closeEnough(1 + 1e-5, 1, TOL));
      assert.ok(!closeEnough(1 + 2e-5, 1, TOL));
      assert.ok(closeEnough(1e-7, 0, TOL));
      assert.ok(!closeEnough(2e-6, 0, TOL));
    });

    it('matches NaN only with NaN and infinities exactly', () => {
      assert.ok(closeEnough(NaN, NaN, TOL));
      assert.ok(!closeEnough(0, NaN, TOL));
      assert.ok(!closeEnough(NaN, 0, TOL));
      assert.ok(closeEnough(Infinity, Infinity, TOL));
      assert.ok(!closeEnough(-Infinity, Infinity, TOL));
      assert.ok(!closeEnough(1e38, Infinity, TOL));
    });

    it('compares dtype, shape, values and bits', () => {
      const exp = { dtype: 'float32', shape: [2], data: [1, 'NaN'], bits: ['3f800000', '7fc00000'] };
      assert.deepEqual(tensorProblems('t', { dtype: 'float32', shape: [2], data: [1, NaN] }, exp, TOL), []);
      assert.equal(tensorProblems('t', { dtype: 'float64', shape: [2], data: [1, NaN] }, exp, TOL).length, 1);
      assert.equal(tensorProblems('t', { dtype: 'float32', shape: [1, 2], data: [1, NaN] }, exp, TOL).length, 1);
      assert.match(tensorProblems('t', { dtype: 'float32', shape: [2], data: [1.5, NaN] }, exp, TOL).join(), /values differ/);
      // 1 + 2^-23 is within tolerance but not the same float: only the bits catch it.
      const near = tensorProblems('t', { dtype: 'float32', shape: [2], data: [1 + 2 ** -23, NaN] }, exp, TOL);
      assert.equal(near.length, 1);
      assert.match(near[0], /bit patterns differ/);
    });

    it('treats the sign of zero as significant only in bits', () => {
      const exp = { dtype: 'float32', shape: [1], data: [-0] };
      assert.deepEqual(tensorProblems('t', { dtype: 'float32', shape: [1], data: [0] }, exp, TOL), []);
      assert.equal(bitPattern(-0, 'float32'), '80000000');
      assert.equal(bitPattern(1, 'float64'), '3ff0000000000000');
    });

    it('compares integers and bools exactly', () => {
      const exp = { dtype: 'int64', shape: [2], data: [1, 2] };
      assert.equal(tensorProblems('t', { dtype: 'int64', shape: [2], data: [1, 3] }, exp, { rtol: 1, atol: 1 }).length, 1);
      const bools = { dtype: 'bool', shape: [1], data: [true] };
      assert.equal(tensorProblems('t', { dtype: 'bool', shape: [1], data: [false] }, bools, TOL).length, 1);
    });

    it('points at the first difference of long strings', () => {
      const a = `${'x'.repeat(200)}informations.`;
      const b = `${'x'.repeat(200)}information.`;
      assert.match(stringDifference(a, b), /column 212/);
    });
  });

  describe('names', () => {
    it('maps snake_case to camelCase keeping edge underscores', () => {
      assert.equal(camelCase('binary_cross_entropy_with_logits'), 'binaryCrossEntropyWithLogits');
      assert.equal(camelCase('requires_grad_'), 'requiresGrad_');
      assert.equal(camelCase('kaiming_uniform_'), 'kaimingUniform_');
      assert.equal(camelCase('zero_'), 'zero_');
      assert.equal(camelCase('keepdim'), 'keepdim');
      assert.equal(camelCase('__getitem__'), '__getitem__');
    });
  });

  describe('program stdout', () => {
    const fixture = {
      stdout: 'Gradient function for z = <AddBackward0 object at 0xADDRESS>\nTrue\nstep  0 loss 0.734741\nfinal accuracy 0.620\n',
      stdout_numbers: [0, 0.734741, 0.62],
      tol: { rtol: 1e-4, atol: 1e-5, accuracy_abs: 0.01 },
    };

    it('accepts JS spellings of the same output', () => {
      const ours = 'Gradient function for z = <AddBackward0 object at 0x7f3a1c000040>\ntrue\nstep  0 loss 0.734745\nfinal accuracy 0.625\n';
      assert.deepEqual(stdoutProblems(ours, fixture), []);
    });

    it('rejects other text, other numbers and missing lines', () => {
      assert.equal(stdoutProblems(fixture.stdout.replace('loss', 'Loss'), fixture).length, 1);
      assert.equal(stdoutProblems(fixture.stdout.replace('0.734741', '0.74'), fixture).length, 1);
      assert.equal(stdoutProblems(fixture.stdout.replace('0.620', '0.64'), fixture).length, 1);
      assert.ok(stdoutProblems('', fixture).length > 0);
    });

    it('finds numbers as README §6 does', () => {
      const { numbers } = splitNumbers(normaliseOurOutput('a 1e-05 b -2. c nan d x2 e .5 <X object at 0xff>'));
      assert.deepEqual(numbers.map((n) => n.value), [1e-5, -2, NaN, 0.5]);
    });
  });
});
