/** Fetches one of the view's JSON endpoints (relative to the page, so a base path is kept). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`api/${path}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) {
    let description = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { title?: unknown; description?: unknown };
      if (typeof body.description === 'string') description = body.description;
      else if (typeof body.title === 'string') description = body.title;
    } catch {
      // keep the status line
    }
    throw new ApiError(res.status, description);
  }
  return (await res.json()) as T;
}

/** `a/b/c` with each segment percent-encoded. */
export function apiPath(...segments: string[]): string {
  return segments.map(encodeURIComponent).join('/');
}
