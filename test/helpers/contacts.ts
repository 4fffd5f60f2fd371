import { DateTime } from 'luxon';
import type { ContactChannel } from '../../src/core/channels';
import { NO_COMPLAINT_STATE, type ComplaintState, type Contact, type ContactStatus } from '../../src/core/model';

const at = (iso: string | null | undefined) => (iso ? DateTime.fromISO(iso, { setZone: true }) : null);

/** A contact built by hand for core tests: times as ISO strings with their offset. */
export function contactOf(spec: {
  id: number;
  channel?: ContactChannel;
  received: string;
  owner?: string;
  customer?: string;
  phone?: string | null;
  customerId?: number;
  responseDue?: string | null;
  responded?: string | null;
  resolutionDue?: string | null;
  resolved?: string | null;
  status?: ContactStatus;
  complaint?: Partial<Omit<ComplaintState, 'followupDueAt' | 'followedUpAt' | 'rootCauseNotedAt'>> & { followupDue?: string; followedUp?: string; rootCauseNoted?: string };
}): Contact {
  const { followupDue, followedUp, rootCauseNoted, ...complaint } = spec.complaint ?? {};
  const status = spec.status ?? (spec.resolved ? 'resolved' : spec.responded ? 'responded' : 'open');
  return {
    id: spec.id,
    teamId: 1,
    customer: {
      id: spec.customerId ?? spec.id,
      teamId: 1,
      name: spec.customer ?? `客户${spec.id}`,
      phone: spec.phone === undefined ? '+8613812345678' : spec.phone,
      ownerUserId: spec.owner ?? 'alice',
    },
    ownerUserId: spec.owner ?? 'alice',
    loggedBy: spec.owner ?? 'alice',
    channel: spec.channel ?? 'complaint',
    receivedAt: at(spec.received)!,
    loggedAt: at(spec.received)!,
    note: '',
    firstResponseDueAt: at(spec.responseDue),
    resolutionDueAt: at(spec.resolutionDue),
    firstRespondedAt: at(spec.responded),
    resolvedAt: at(spec.resolved),
    status,
    complaint: {
      ...NO_COMPLAINT_STATE,
      ...complaint,
      followupDueAt: at(followupDue),
      followedUpAt: at(followedUp),
      rootCauseNotedAt: at(rootCauseNoted),
    },
  };
}
