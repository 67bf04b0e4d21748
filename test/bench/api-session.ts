/** GET of a running leakwatch's API as the logged-in admin: logs in once with `password`. */
export async function apiSession(apiPort: number, password: string): Promise<<T>(path: string) => Promise<T>> {
  const login = await fetch(`http://127.0.0.1:${apiPort}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
  if (!login.ok) throw new Error(`login to the API on port ${apiPort} failed: HTTP ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return async <T>(path: string) => (await (await fetch(`http://127.0.0.1:${apiPort}${path}`, { headers: { cookie } })).json()) as T;
}
