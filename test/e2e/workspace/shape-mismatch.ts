// A runtime error halfway through: the graph up to the failure is still shown, and the error
// becomes a problem on the `matmul` call with PyTorch's message.
import * as torch from 'gradscope';

const a = torch.ones(5, 3, { requiresGrad: true });
const doubled = a.mul(2);
const b = torch.ones(4, 2);
const product = torch.matmul(doubled, b);
console.log(product);
