/**
 * @tensorflow/tfjs-core with the pure-JS CPU backend (@tensorflow/tfjs-backend-cpu), written as a
 * tfjs user would: `tf.variable`s, `tf.variableGrads` for the gradients (tfjs's tape), and
 * `tf.tidy` so intermediate tensors are freed (tfjs needs explicit memory management).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone has no gradients registered (the `@tensorflow/tfjs` bundle imports this).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { uniformArray } from '../harness';
import { W2, W3, W4, type LibraryAdapter } from '../workloads';

/** Selects the CPU backend (must run before any tensor is created). */
export async function initTfjs(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export const tfjs: LibraryAdapter = {
  name: 'tfjs-core cpu',
  version: tf.version_core,

  matmul(n) {
    const a = tf.tensor2d(uniformArray(n * n, 1), [n, n]);
    const b = tf.tensor2d(uniformArray(n * n, 2), [n, n]);
    // dataSync: the CPU backend computes eagerly, but reading back makes sure the work is done.
    return () => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); };
  },

  mlpStep() {
    const w1 = tf.variable(tf.randomNormal([W2.inputs, W2.hidden], 0, Math.sqrt(1 / W2.inputs), 'float32', 1));
    const b1 = tf.variable(tf.zeros([W2.hidden]));
    const w2 = tf.variable(tf.randomNormal([W2.hidden, W2.classes], 0, Math.sqrt(1 / W2.hidden), 'float32', 2));
    const b2 = tf.variable(tf.zeros([W2.classes]));
    const x = tf.tensor2d(uniformArray(W2.batch * W2.inputs, 3), [W2.batch, W2.inputs]);
    const labels = tf.tensor1d(Array.from({ length: W2.batch }, (_, i) => (i * 7) % W2.classes), 'int32');
    const onehot = tf.oneHot(labels, W2.classes);
    const optimizer = tf.train.sgd(W2.lr);
    return () => {
      const loss = optimizer.minimize(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
        const logits = tf.add(tf.matMul(h, w2), b2);
        return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
      }, true);
      loss!.dataSync();
      loss!.dispose();
    };
  },

  tinyOps(size) {
    const x = tf.variable(tf.tensor1d(uniformArray(size, 4)));
    const w = tf.variable(tf.tensor1d(uniformArray(size, 5).map((v) => 1 + 0.001 * v)));
    const b = tf.variable(tf.tensor1d(uniformArray(size, 6).map((v) => 0.001 * v)));
    return () => {
      const { value, grads } = tf.variableGrads(() => {
        let h: tf.Tensor = x;
        for (let i = 0; i < W3.ops; i += 4) h = tf.div(tf.sub(tf.add(tf.mul(h, w), b), x), w);
        return tf.sum(h) as tf.Scalar;
      });
      value.dispose();
      for (const g of Object.values(grads)) { g.dataSync(); g.dispose(); }
    };
  },

  polyFit(iterations) {
    return () => {
      const x = tf.linspace(-Math.PI, Math.PI, W4.points);
      const y = tf.sin(x);
      const [a, b, c, d] = [1, 2, 3, 4].map((seed) => tf.variable(tf.randomNormal([], 0, 1, 'float32', seed)));
      const lr = W4.learningRate;
      let last = 0;
      for (let t = 0; t < iterations; t++) {
        const { value, grads } = tf.variableGrads(() => {
          const yPred = tf.add(tf.add(tf.add(a, tf.mul(b, x)), tf.mul(c, tf.pow(x, 2))), tf.mul(d, tf.pow(x, 3)));
          return tf.sum(tf.pow(tf.sub(yPred, y), 2)) as tf.Scalar;
        });
        if (t % 100 === 99) last = value.dataSync()[0];
        value.dispose();
        tf.tidy(() => {
          for (const v of [a, b, c, d]) v.assign(tf.sub(v, tf.mul(grads[v.name], lr)));
        });
        for (const g of Object.values(grads)) g.dispose();
      }
      for (const t of [x, y, a, b, c, d]) t.dispose();
      if (!Number.isFinite(last)) throw new Error('polynomial fit diverged');
    };
  },
};
