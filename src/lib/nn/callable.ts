/**
 * PyTorch code creates modules and parameters by calling the class: `nn.Linear(2, 16)`,
 * `nn.Parameter(t)`, `optim.SGD(params, lr=0.1)`. A JavaScript class throws when called without
 * `new`, so the public names are the classes wrapped to accept both forms:
 *
 *   const fc = nn.Linear(2, 16);        // PyTorch style
 *   const fc = new nn.Linear(2, 16);    // TypeScript style, same object
 *   class MyLinear extends nn.Linear {} // still a class: extends, instanceof, static members work
 *
 * The wrapper is a Proxy of the class whose only trap is `apply` (calling it constructs).
 */
export type CallableClass<C extends abstract new (...args: never[]) => unknown> =
  C & ((...args: ConstructorParameters<C>) => InstanceType<C>);

/** Names shown by `repr` for the library's classes (`Object.prototype.constructor.name` does not survive minification). */
const displayNames = new WeakMap<object, string>();

/** Gives a library class the name `repr` shows for its instances. */
export function setDisplayName(cls: object, displayName: string): void {
  displayNames.set(cls, displayName);
}

export function callableClass<C extends new (...args: never[]) => unknown>(cls: C, displayName: string): CallableClass<C> {
  setDisplayName(cls, displayName);
  return new Proxy(cls, {
    apply: (target, _thisArg, args) => new target(...(args as ConstructorParameters<C>)),
  }) as CallableClass<C>;
}

/** The class name PyTorch would print for an instance (`type(obj).__name__`). */
export function displayNameOf(instance: object): string {
  const ctor = (Object.getPrototypeOf(instance) as { constructor?: { name?: string } } | null)?.constructor;
  if (!ctor) return 'Object';
  return displayNames.get(ctor) ?? ctor.name ?? 'Object';
}
