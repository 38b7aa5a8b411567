/**
 * Starts test/support/oidc-provider.mjs (a real OpenID Connect provider) in a child process,
 * and plays the browser: follows the provider's redirects by hand, keeping its cookies, until
 * it sends the person back to the client's redirect URI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface TestProvider {
  issuer: string;
  stop(): Promise<void>;
}

export async function startTestProvider(env: { clientId: string; clientSecret: string; redirectUri: string; account: Record<string, unknown> }): Promise<TestProvider> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs')], {
    env: {
      ...process.env,
      OIDC_TEST_CLIENT_ID: env.clientId,
      OIDC_TEST_CLIENT_SECRET: env.clientSecret,
      OIDC_TEST_REDIRECT_URI: env.redirectUri,
      OIDC_TEST_ACCOUNT: JSON.stringify(env.account),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{"issuer"'));
      if (line) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the test OIDC provider exited (${code}):\n${output}`)));
  });
  return {
    issuer,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Follows redirects from `start` until one leads to `redirectUri`, and returns that URL. */
export async function followToCallback(start: URL, redirectUri: string, jar: Map<string, string> = new Map()): Promise<URL> {
  let url = start;
  for (let hop = 0; hop < 20; hop++) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of response.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    await response.arrayBuffer();
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`the provider answered ${response.status} at ${url.href} instead of redirecting`);
    }
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) return next;
    url = next;
  }
  throw new Error('too many redirects before reaching the redirect URI');
}
