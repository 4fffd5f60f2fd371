import type { z } from 'zod';
import type { MalformedReporter } from '../../src/chat/malformed';

/**
 * A Stream callback's data (a JSON string) read against its schema: null, counted as
 * `bad-json` or as `kind`, when it is not JSON or not of that shape.
 */
export function readFrameData<S extends z.ZodType>(data: string, schema: S, kind: string, malformed?: MalformedReporter): z.infer<S> | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    malformed?.('bad-json');
    return null;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  malformed?.(kind, { issues: parsed.error.issues.length });
  return null;
}
