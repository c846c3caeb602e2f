// The main -> renderer events of the contract, as a small typed emitter. A listener that throws (a
// window being torn down) must not break the handler that emitted, nor the other listeners.
import type { EventName, EventTypes } from '../../shared/ipc/contract';

type Listener<E extends EventName> = (payload: EventTypes[E]) => void;

export class BackendEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as Listener<EventName>;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  emit<E extends EventName>(event: E, payload: EventTypes[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch {
        // see the header: one failing subscriber is its own problem
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
