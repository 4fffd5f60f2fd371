import { z } from 'zod';
import { CALL_EVENT_KINDS, type CallEvent } from '../../core/calls';

/** A problem with what a sender posted: which field, and what it should be. */
export interface FieldProblem {
  readonly code: string;
  readonly field: string | null;
  readonly message: string;
}

const text = (max: number, what: string) =>
  z
    .union([z.string(), z.number()], { message: `${what}, text` })
    .transform((v) => String(v).trim())
    .pipe(z.string().max(max, `${what}, at most ${max} characters`));
const optional = (max: number, what: string) =>
  text(max, what)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

const EVENT_NAMES = new Map(CALL_EVENT_KINDS.map((k) => [k.toLowerCase(), k]));

/** Zammad's generic CTI fields (docs.zammad.org, "Generic CTI"), as JSON or a form posts them. */
const ctiSchema = z.object({
  event: z
    .string({ message: 'newCall, answer or hangup' })
    .transform((v) => EVENT_NAMES.get(v.trim().toLowerCase()))
    .pipe(z.enum(CALL_EVENT_KINDS, { message: 'newCall, answer or hangup' })),
  callId: text(250, "the call's id, unique per call").pipe(z.string().min(1, "the call's id, unique per call, 1 to 250 characters")),
  direction: z
    .string({ message: 'in or out' })
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['in', 'out', ''], { message: 'in or out' }))
    .optional(),
  from: optional(100, 'the calling number (or anonymous)'),
  to: optional(100, 'the called number'),
  user: z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))], { message: 'the user(s) involved: a name, or a list of names' })
    .transform((v) => (Array.isArray(v) ? v : [v]).map((u) => String(u).trim()).filter(Boolean))
    .pipe(z.array(z.string().max(200, 'each user at most 200 characters')).max(20, 'at most 20 users'))
    .optional(),
  answeringNumber: optional(200, 'who answered: an extension, number or user name'),
  cause: optional(64, 'the hangup cause, e.g. normalClearing, busy, cancel, noAnswer'),
  queue: optional(200, 'the queue name'),
});

/** One CTI event as the bot applies it, with the call's id. */
export type CtiRequest = Omit<CallEvent, 'at'> & { readonly callId: string };

/**
 * Reads a CTI post: JSON (`user` a name or a list), or a form — urlencoded or multipart, as
 * `curl --form` sends it — with `user[]` repeated (or `user`). Unknown fields are ignored.
 */
export async function readCti(body: Buffer, contentType: string): Promise<{ ok: true; value: CtiRequest } | { ok: false; problem: FieldProblem }> {
  let fields: Record<string, unknown>;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, problem: { code: 'invalid_body', field: null, message: 'the body must be a JSON object' } };
      fields = parsed as Record<string, unknown>;
    } catch {
      return { ok: false, problem: { code: 'invalid_json', field: null, message: 'the body is not valid JSON' } };
    }
  } else {
    let pairs: Array<[string, string]>;
    if (type === 'multipart/form-data') {
      try {
        const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
        pairs = [...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']);
      } catch {
        return { ok: false, problem: { code: 'invalid_body', field: null, message: 'the multipart form could not be read' } };
      }
    } else pairs = [...new URLSearchParams(body.toString('utf8')).entries()];
    fields = {};
    const users: string[] = [];
    for (const [key, value] of pairs) {
      if (key === 'user[]' || key === 'user') users.push(value);
      else if (!(key in fields)) fields[key] = value;
    }
    if (users.length) fields.user = users;
  }
  const parsed = ctiSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? String(issue.path[0]) : null;
    const expected = issue.code === 'invalid_type' && issue.input === undefined ? `required: ${issue.message}` : `expected ${issue.message}`;
    return { ok: false, problem: { code: 'invalid_field', field, message: `${field ?? 'body'}: ${expected}` } };
  }
  const v = parsed.data;
  return {
    ok: true,
    value: {
      kind: v.event,
      callId: v.callId,
      direction: v.direction === 'in' || v.direction === 'out' ? v.direction : null,
      from: v.from ?? null,
      to: v.to ?? null,
      users: v.user ?? [],
      answeringNumber: v.answeringNumber ?? null,
      cause: v.cause ?? null,
      queue: v.queue ?? null,
    },
  };
}
