/**
 * The sales office's reception rotation (轮序接待), from the code of conduct, as pure
 * functions of the day's events: consultants sign in (签到) and the day's order is the
 * sign-in order; the next three wait at the front desk; a walk-in goes to the next free
 * consultant, who then goes to the back of the line; one away when their turn comes
 * forfeits it (轮空, no make-up); one busy with a visitor is passed over and keeps their
 * place. An existing customer's visit goes to their owner and moves nobody. When every
 * consultant is receiving or away, a walk-in waits (候客), and the first consultant who
 * becomes free — done, back, or signed in — receives the one who has waited longest.
 */

/** Lunch, by the code of conduct. */
export const DEFAULT_AWAY_MINUTES = 40;
/** How many wait at the front desk. */
const FRONT_DESK = 3;

/** How a visit was assigned: the rotation's turn, the owner's own customer, on the owner's behalf (义务接待), or by a supervisor. */
export type VisitKind = 'rotation' | 'owner' | 'behalf' | 'manual';

/** One thing that happened in a team's day, in order; `at` is epoch ms. */
export type RotationEvent =
  | { readonly kind: 'checkin'; readonly user: string; readonly at: number }
  | { readonly kind: 'checkout'; readonly user: string; readonly at: number }
  | { readonly kind: 'away'; readonly user: string; readonly at: number; readonly until: number }
  | { readonly kind: 'back'; readonly user: string; readonly at: number }
  /** `waiting`: the waiting visitor this reception takes off the list, when it is one. */
  | { readonly kind: 'visit'; readonly user: string; readonly at: number; readonly visit: number; readonly how: VisitKind; readonly waiting?: number }
  /** A walk-in nobody was free for, registered by `user`; `owner`: their consultant, for an existing customer. */
  | { readonly kind: 'wait'; readonly user: string; readonly at: number; readonly waiting: number; readonly owner: string | null }
  /** A waiting visitor who left without being received, taken off the list by `user`. */
  | { readonly kind: 'left'; readonly user: string; readonly at: number; readonly waiting: number }
  | { readonly kind: 'done'; readonly user: string; readonly at: number; readonly visit: number }
  | { readonly kind: 'forfeit'; readonly user: string; readonly at: number; readonly by?: string; readonly reason?: string }
  | { readonly kind: 'move'; readonly user: string; readonly at: number; readonly place: number; readonly by: string; readonly reason: string };

export interface Consultant {
  readonly user: string;
  readonly signedInAt: number;
  /** Away until then (epoch ms), or null. */
  readonly awayUntil: number | null;
  /** Receiving this visit since then, or null. */
  readonly receiving: { readonly visit: number; readonly since: number } | null;
}

/** A walk-in waiting for a free consultant since `since` (epoch ms), registered by `by`. */
export interface WaitingVisitor {
  readonly waiting: number;
  readonly since: number;
  readonly owner: string | null;
  readonly by: string;
}

export interface RotationState {
  /** Everyone signed in, in the order turns come: the next first. */
  readonly order: readonly Consultant[];
  /** Turns lost today, in order. */
  readonly forfeits: ReadonlyArray<{ readonly user: string; readonly at: number; readonly by?: string; readonly reason?: string }>;
  /** Walk-ins waiting for a free consultant, the longest-waiting first. */
  readonly waiting: readonly WaitingVisitor[];
}

const isAway = (c: Consultant, now: number) => c.awayUntil !== null && c.awayUntil > now;

/** The day's rotation as its events leave it, at `now` (for who is still away). */
export function rotationState(events: readonly RotationEvent[], now: number): RotationState {
  let order: Consultant[] = [];
  const forfeits: Array<RotationState['forfeits'][number]> = [];
  let waiting: WaitingVisitor[] = [];
  const update = (user: string, change: (c: Consultant) => Consultant) => (order = order.map((c) => (c.user === user ? change(c) : c)));
  const toBack = (user: string) => {
    const found = order.find((c) => c.user === user);
    if (found) order = [...order.filter((c) => c.user !== user), found];
  };
  // Every event recorded counts, in time order (stable: the order recorded breaks ties). One
  // stamped a moment after `now` by another replica's clock is not dropped: it happened.
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    switch (e.kind) {
      case 'checkin':
        if (!order.some((c) => c.user === e.user)) order.push({ user: e.user, signedInAt: e.at, awayUntil: null, receiving: null });
        break;
      case 'checkout':
        order = order.filter((c) => c.user !== e.user);
        break;
      case 'away':
        update(e.user, (c) => ({ ...c, awayUntil: e.until }));
        break;
      case 'back':
        update(e.user, (c) => ({ ...c, awayUntil: null }));
        break;
      case 'visit':
        update(e.user, (c) => ({ ...c, receiving: { visit: e.visit, since: e.at } }));
        // A turn taken (the rotation's, or on an owner's behalf) sends them to the back.
        if (e.how === 'rotation' || e.how === 'behalf') toBack(e.user);
        if (e.waiting !== undefined) waiting = waiting.filter((w) => w.waiting !== e.waiting);
        break;
      case 'wait':
        if (!waiting.some((w) => w.waiting === e.waiting)) waiting.push({ waiting: e.waiting, since: e.at, owner: e.owner, by: e.user });
        break;
      case 'left':
        waiting = waiting.filter((w) => w.waiting !== e.waiting);
        break;
      case 'done':
        update(e.user, (c) => (c.receiving?.visit === e.visit ? { ...c, receiving: null } : c));
        break;
      case 'forfeit':
        forfeits.push({ user: e.user, at: e.at, ...(e.by ? { by: e.by } : {}), ...(e.reason ? { reason: e.reason } : {}) });
        toBack(e.user);
        break;
      case 'move': {
        const found = order.find((c) => c.user === e.user);
        if (!found) break;
        const rest = order.filter((c) => c.user !== e.user);
        const place = Math.min(Math.max(1, e.place), rest.length + 1);
        order = [...rest.slice(0, place - 1), found, ...rest.slice(place - 1)];
        break;
      }
    }
  }
  // Back from lunch by the clock: no longer away.
  order = order.map((c) => (c.awayUntil !== null && c.awayUntil <= now ? { ...c, awayUntil: null } : c));
  return { order, forfeits, waiting };
}

/** The three waiting at the front desk: the first free consultants in order (not away, not receiving). */
export function frontDesk(state: RotationState, now: number): string[] {
  return state.order
    .filter((c) => !isAway(c, now) && c.receiving === null)
    .slice(0, FRONT_DESK)
    .map((c) => c.user);
}

/**
 * Who receives the next walk-in by the rotation: the first free consultant in order.
 * Those away when their turn comes forfeit it (returned, to be recorded); those receiving
 * are passed over and keep their place. Null when nobody is free.
 */
export function nextInRotation(state: RotationState, now: number): { user: string | null; forfeits: string[] } {
  const forfeits: string[] = [];
  for (const c of state.order) {
    if (c.receiving !== null) continue;
    if (isAway(c, now)) {
      forfeits.push(c.user);
      continue;
    }
    return { user: c.user, forfeits };
  }
  // Nobody free: no turn was taken, so nobody's was lost.
  return { user: null, forfeits: [] };
}

/** Whether `user` can receive their own customer now: signed in, not away, not with another visitor. */
export function isFree(state: RotationState, user: string, now: number): boolean {
  const c = state.order.find((x) => x.user === user);
  return c !== undefined && !isAway(c, now) && c.receiving === null;
}

/**
 * Who receives a walk-in. An existing customer (with an owner in the team) goes to the
 * owner when free; otherwise, and for a new customer, to the next in the rotation — on
 * the owner's behalf for an existing one, as the new owner for a new one. Nobody while
 * others wait: a new walk-in joins the end of the line (see nextForWaiting).
 */
export function assignVisit(state: RotationState, now: number, owner: string | null): { user: string; how: VisitKind; forfeits: string[] } | { user: null; forfeits: [] } {
  if (state.waiting.length > 0) return { user: null, forfeits: [] };
  return receiverFor(state, now, owner);
}

function receiverFor(state: RotationState, now: number, owner: string | null): { user: string; how: VisitKind; forfeits: string[] } | { user: null; forfeits: [] } {
  if (owner !== null && isFree(state, owner, now)) return { user: owner, how: 'owner', forfeits: [] };
  const next = nextInRotation(state, now);
  if (next.user === null) return { user: null, forfeits: [] };
  return { user: next.user, how: owner !== null ? 'behalf' : 'rotation', forfeits: next.forfeits };
}

/**
 * The waiting visitor to be received now, and by whom: the one who has waited longest goes
 * to a free consultant by the same rules as a walk-in (their consultant when free, else the
 * rotation, with its forfeits). Null when nobody waits or nobody is free. Applied again after
 * each reception recorded, until it is null.
 */
export function nextForWaiting(state: RotationState, now: number): { visitor: WaitingVisitor; user: string; how: VisitKind; forfeits: string[] } | null {
  const visitor = state.waiting[0];
  if (!visitor) return null;
  const picked = receiverFor(state, now, visitor.owner);
  return picked.user === null ? null : { visitor, user: picked.user, how: picked.how, forfeits: picked.forfeits };
}

/** Who newly joins the front desk between two states: to be called to it (the third calls the fourth). */
export function calledToFrontDesk(before: RotationState, after: RotationState, now: number): string[] {
  const was = new Set(frontDesk(before, now));
  return frontDesk(after, now).filter((u) => !was.has(u));
}
