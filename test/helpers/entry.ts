import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

/** Runs the real entry point (as `npm start` does) with a script on standard input. */
export function runEntryPoint(
  input: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  /** Keep standard input open this long after the script, as a person still at the prompt would. */
  holdMs = 0,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_') && k !== 'DATABASE_URL'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { ...clean, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`entry point did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.write(input);
    if (holdMs > 0) {
      // Wait for the prompt to have answered the script before the clock starts.
      const started = () => stdout.includes('已登记') || stdout.includes('Logged');
      const poll = setInterval(() => {
        if (started()) {
          clearInterval(poll);
          setTimeout(() => child.stdin.end(), holdMs);
        }
      }, 50);
    } else {
      child.stdin.end();
    }
  });
}
