/**
 * "Learning PyTorch with Examples": fit y = sin(x) with a third-order polynomial, using tensors and
 * autograd, ported line by line. Prints the same losses as the Python program (with
 * `torch.manual_seed(0)` added before the four `randn` calls).
 *
 * Try it in the graph panel: the four parameters a, b, c, d are leaves; each iteration builds the
 * same graph, so the panel shows one structure with a slider over the iterations.
 */
import * as torch from 'gradscope';

torch.manualSeed(0);

// Create Tensors to hold input and outputs.
const x = torch.linspace(-Math.PI, Math.PI, 2000);
const y = torch.sin(x);

// Create random Tensors for weights. For a third order polynomial, we need
// 4 weights: y = a + b x + c x^2 + d x^3
// Setting requiresGrad: true indicates that we want to compute gradients with
// respect to these Tensors during the backward pass.
const a = torch.randn([], { requiresGrad: true });
const b = torch.randn([], { requiresGrad: true });
const c = torch.randn([], { requiresGrad: true });
const d = torch.randn([], { requiresGrad: true });

const learningRate = 1e-6;
for (let t = 0; t < 2000; t++) {
  // Forward pass: compute predicted y using operations on Tensors.
  const yPred = a.add(b.mul(x)).add(c.mul(x.pow(2))).add(d.mul(x.pow(3)));

  // Compute and print loss using operations on Tensors.
  // Now loss is a Tensor of shape [] (a scalar); loss.item() gets the number it holds.
  const loss = yPred.sub(y).pow(2).sum();
  if (t % 100 === 99) console.log(t, loss.item());

  // Use autograd to compute the backward pass. This call will compute the
  // gradient of loss with respect to all Tensors with requiresGrad: true.
  // After this call a.grad, b.grad, c.grad and d.grad will be Tensors holding
  // the gradient of the loss with respect to a, b, c, d respectively.
  loss.backward();

  // Manually update weights using gradient descent. Wrap in torch.noGrad()
  // because weights have requiresGrad: true, but we don't need to track this
  // in autograd.
  torch.noGrad(() => {
    a.sub_(a.grad!.mul(learningRate));
    b.sub_(b.grad!.mul(learningRate));
    c.sub_(c.grad!.mul(learningRate));
    d.sub_(d.grad!.mul(learningRate));

    // Manually zero the gradients after updating weights
    a.grad = null;
    b.grad = null;
    c.grad = null;
    d.grad = null;
  });
}

console.log(`Result: y = ${a.item()} + ${b.item()} x + ${c.item()} x^2 + ${d.item()} x^3`);
