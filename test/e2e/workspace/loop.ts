// A variable reassigned in a loop: the hover shows its last value and how often it was assigned.
import * as torch from 'gradscope';

let acc = torch.zeros(2);
for (let i = 0; i < 3; i++) {
  acc = acc.add(1);
}
console.log(acc);
