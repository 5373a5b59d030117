/**
 * File uploads with progress: `fetch` cannot report how much of a request body has been sent, so an
 * upload goes through XMLHttpRequest, with the same CSRF header and errors as `call` (`api.ts`).
 */
import type { RuleError } from './api.ts';
import { ApiError, csrfHeaders } from './api.ts';

/** The `ApiError` of a refused answer's text (a problem document, or anything else), as `call` throws it. */
function problemOf(status: number, statusText: string, text: string): ApiError {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const problem = (json ?? {}) as { code?: string; detail?: string; errors?: RuleError[] };
  return new ApiError(
    status,
    problem.code ?? 'error',
    problem.detail ?? `${status} ${statusText}`,
    Array.isArray(problem.errors) ? problem.errors : [],
  );
}

/**
 * Uploads a file as the request body (`POST` with `content-type` and `X-CSRF-Token`); `onProgress` hears
 * how many bytes have been sent of how many. Answers the JSON answer, or throws `ApiError` as `call` does.
 *
 * Example: `const job = await upload<Job>('/v1/onboarding/crm', file, 'text/csv', (sent, total) => show(sent, total));`
 */
export function upload<T>(
  path: string,
  file: Blob,
  contentType: string,
  onProgress?: (sent: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload did not reach the API'));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(problemOf(xhr.status, xhr.statusText, xhr.responseText));
        return;
      }
      onProgress?.(file.size, file.size);
      try {
        resolve((xhr.responseText === '' ? undefined : JSON.parse(xhr.responseText)) as T);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    xhr.send(file);
  });
}
