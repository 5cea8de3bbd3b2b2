import { UserError } from '../errors';

/** The server answered with a final (non-retryable) error status, e.g. 404 or 403. */
export class HttpStatusError extends UserError {
  override name = 'HttpStatusError';
  constructor(
    readonly url: string,
    readonly status: number,
    statusText: string,
  ) {
    const hint =
      status === 404 || status === 410
        ? 'Check the catalog URL (it must point at the catalog folder, the one holding hats.properties).'
        : status === 401 || status === 403
          ? 'The server refused access; check the URL and that the catalog is public.'
          : 'Check the URL, or try again later.';
    super(`HTTP ${status} ${statusText} for ${url}. ${hint}`);
  }
}

/** Every attempt at a download failed (network errors, timeouts, 429 or 5xx answers). */
export class DownloadFailedError extends UserError {
  override name = 'DownloadFailedError';
  constructor(
    readonly url: string,
    reason: string,
    attempts: number,
    /** What to do, when it is not the general advice. */
    hint = 'Check the network and the URL, try again later, or work from what the cache holds (tsm run --offline, or TSM_OFFLINE=1 in the environment of tsm or the app).',
  ) {
    super(
      `Could not download ${url}: ${reason} (${attempts} attempt${attempts > 1 ? 's' : ''}). ${hint}`,
    );
  }
}

/** A file changed on the server while it was being read (its ETag/Last-Modified/size moved). */
export class RemoteFileChangedError extends UserError {
  override name = 'RemoteFileChangedError';
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(
      `${url} changed on the server during the run (${detail}). Bytes of two versions are never mixed, so the read stopped; run again to read the new version.`,
    );
  }
}

/** Offline mode needed bytes that are not in the disk cache. */
export class OfflineMissingError extends UserError {
  override name = 'OfflineMissingError';
  constructor(
    readonly url: string,
    what: string,
  ) {
    super(
      `Offline mode: ${url} is not in the cache (${what}). Run once online to fill the cache, or turn offline mode off.`,
    );
  }
}

/** Internal: an attempt failed in a way worth retrying (truncated body, bad Content-Range). */
export class RetryableError extends Error {
  override name = 'RetryableError';
}
