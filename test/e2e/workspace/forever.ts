// Never finishes: for Stop, cancellation by a new run, and the time limit.
import * as torch from 'gradscope';

let t = torch.zeros(1);
for (;;) {
  t = t.add(1);
}
