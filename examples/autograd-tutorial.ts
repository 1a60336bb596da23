/**
 * Automatic Differentiation with torch.autograd — the PyTorch tutorial
 * (https://pytorch.org/tutorials/beginner/basics/autogradqs_tutorial.html), ported line by line.
 * Run it and compare: it prints exactly what the Python version prints.
 *
 * Differences from the Python source, all mechanical:
 * - operators are methods: `torch.matmul(x, w)+b` is `torch.matmul(x, w).add(b)`;
 * - keyword arguments go in an options object: `requires_grad=True` is `{ requiresGrad: true }`;
 * - `with torch.no_grad():` takes the block as a function: `torch.noGrad(() => ...)`;
 * - `torch.manualSeed(0)` is added so the random weights (and the printed gradients) are always
 *   the same, equal to PyTorch's for the same seed.
 */
import * as torch from 'gradscope';

// When training neural networks, the most frequently used algorithm is back propagation: parameters
// (model weights) are adjusted according to the gradient of the loss function with respect to the
// given parameter. To compute those gradients, PyTorch has a built-in differentiation engine called
// torch.autograd. It supports automatic computation of gradient for any computational graph.
//
// Consider the simplest one-layer neural network, with input x, parameters w and b, and some loss
// function:

const x = torch.ones(5); // input tensor
const y = torch.zeros(3); // expected output
torch.manualSeed(0);
const w = torch.randn(5, 3, { requiresGrad: true });
const b = torch.randn(3, { requiresGrad: true });
let z = torch.matmul(x, w).add(b);
const loss = torch.nn.functional.binaryCrossEntropyWithLogits(z, y);

// Tensors, Functions and Computational graph
//
// w and b are parameters we need to optimize, so we need the gradients of the loss with respect to
// them: we set their requiresGrad property (when creating them, or later with x.requiresGrad_(true)).
// A function applied to tensors to build the graph knows how to compute its forward result and its
// derivative during back propagation. A reference to the backward function is stored in the
// gradFn property of a tensor.

console.log(`Gradient function for z = ${z.gradFn}`);
console.log(`Gradient function for loss = ${loss.gradFn}`);

// Computing Gradients
//
// To optimize the parameters we need ∂loss/∂w and ∂loss/∂b for fixed x and y. To compute those
// derivatives we call loss.backward(), then read w.grad and b.grad:

loss.backward();
console.log(w.grad);
console.log(b.grad);

// We can only obtain .grad for the leaf nodes of the graph that have requiresGrad set to true.
// And backward can run only once on a given graph, for performance reasons; to call it several
// times on the same graph, pass { retainGraph: true }.

// Disabling Gradient Tracking
//
// Tensors with requiresGrad: true track their computational history. When we only want forward
// computations (e.g. applying a trained model), we stop tracking by running the code in
// torch.noGrad:

z = torch.matmul(x, w).add(b);
console.log(z.requiresGrad);

z = torch.noGrad(() => torch.matmul(x, w).add(b));
console.log(z.requiresGrad);

// Another way to achieve the same result is the detach() method:
z = torch.matmul(x, w).add(b);
const zDet = z.detach();
console.log(zDet.requiresGrad);

// Reasons to disable gradient tracking: to mark some parameters as frozen, or to speed up
// computations when only doing a forward pass.

// More on Computational Graphs
//
// autograd keeps a record of tensors and executed operations in a directed acyclic graph (DAG) of
// Function objects: leaves are the input tensors, roots the output tensors. Tracing it from roots to
// leaves computes the gradients by the chain rule. The graph is recreated from scratch on every
// forward pass, which is what allows control flow in a model.

// Optional Reading: Tensor Gradients and Jacobian Products
//
// When the output is a tensor rather than a scalar, PyTorch computes the Jacobian product vᵀ·J for a
// given vector v, passed to backward; v has the shape of the output:

const inp = torch.eye(4, 5, { requiresGrad: true });
const out = inp.add(1).pow(2).t();
out.backward(torch.onesLike(out), { retainGraph: true });
console.log(`First call\n${inp.grad}`);
out.backward(torch.onesLike(out), { retainGraph: true });
console.log(`\nSecond call\n${inp.grad}`);
inp.grad!.zero_();
out.backward(torch.onesLike(out), { retainGraph: true });
console.log(`\nCall after zeroing gradients\n${inp.grad}`);

// The second call gives a different gradient: backward accumulates gradients into .grad of every
// leaf. To compute the proper gradients, zero .grad first (in real training an optimizer does it).
// Calling backward() without arguments is equivalent to backward(torch.tensor(1.0)), the natural
// choice for a scalar-valued function such as the loss.
