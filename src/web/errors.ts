import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { statusOf, toAppError, type HttpStatus } from './status';

/** What a 503 tells clients to wait before retrying: the database comes back by itself. */
export const RETRY_AFTER_SECONDS = 5;

/** The body of every API refusal: `{"error": {"code", "message", …details}}`. */
export function errorBody(error: AppError): { error: Record<string, unknown> } {
  return { error: { code: error.code, message: error.message, ...error.details } };
}

/**
 * A deadline for every request: whatever it waits for (a database that went away without a
 * word, a driver stuck reconnecting), the client hears within it, with a hint to retry.
 */
export function requestDeadline(logger: Logger, timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      const error = new AppError('REQUEST_TIMEOUT');
      logger.warn({ method: req.method, url: req.originalUrl }, 'request timed out');
      res.set('Retry-After', String(RETRY_AFTER_SECONDS)).status(statusOf(error)).json(errorBody(error));
    }, timeoutMs);
    res.on('close', () => clearTimeout(timer));
    res.on('finish', () => clearTimeout(timer));
    next();
  };
}

/** The API's error handler: every refusal as JSON with its typed code; server errors are logged. */
export function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(error);
    const status = statusOf(appError);
    if (status >= 500) logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return;
    if (status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(status).json(errorBody(appError));
  };
}

/**
 * Error pages of a front end (the public site, the console): a refusal is a page in Chinese, not
 * JSON, and so are the framework's own 4xx (a broken percent-encoding in a path, a form body over
 * its limit). Server errors go on to the API's handler, which logs them. `headings` names the
 * page by status; any other status is “无法完成操作”.
 */
export function errorPages(
  render: (req: Request, res: Response, status: HttpStatus, heading: string, message: string) => void,
  headings: Partial<Record<HttpStatus, string>>,
): ErrorRequestHandler {
  return (thrown: unknown, req: Request, res: Response, next: NextFunction) => {
    const error = toAppError(thrown);
    const status = statusOf(error);
    if (status >= 500 || res.headersSent) return next(thrown);
    const heading = headings[status] ?? '无法完成操作';
    render(req, res, status, heading, error.message);
  };
}

/**
 * Whether a refusal of a form's action is one its page can explain in place (a 4xx about the
 * action itself), rather than a page the caller may not see at all.
 */
export function explainableOnPage(error: unknown): error is AppError {
  return error instanceof AppError && statusOf(error) < 500 && error.code !== 'FILING_NOT_FOUND' && error.code !== 'FORBIDDEN_DEPARTMENT';
}
