import type { Delivery, PushTransport } from './push-transport.ts';

/** One connection as the hub tracks it: small, and no timer or closure of its own but the close hook. */
export class PushConnection<TCaller> {
  readonly stream: string;
  readonly caller: TCaller;
  readonly transport: PushTransport;
  epoch: string | null = null;
  position = 0;
  /** While catching up from storage, live items wait in `pending` (bounded). */
  syncing = true;
  pending: Delivery[] = [];
  overflowed = false;
  closed = false;

  constructor(stream: string, caller: TCaller, transport: PushTransport) {
    this.stream = stream;
    this.caller = caller;
    this.transport = transport;
  }
}

/** Where an item falls against the connection's mark. */
export type Placement = 'duplicate' | 'next' | 'gap' | 'other-epoch';

export function placeOf<TCaller>(connection: PushConnection<TCaller>, delivery: Delivery): Placement {
  const { epoch, position } = delivery.item;
  if (connection.epoch !== null && epoch !== connection.epoch) return 'other-epoch';
  if (position <= connection.position) return 'duplicate';
  return position === connection.position + 1 ? 'next' : 'gap';
}
