import { CatalogError } from './catalog.ts';
import { ServiceError } from '../core/service-error.ts';

/** Awaits a catalog call, turning its typed errors into service errors (409, 404, 422). */
export async function wrap<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof CatalogError) {
      const status = error.code === 'conflict' ? 409 : error.code === 'not_found' ? 404 : 422;
      throw new ServiceError(status, error.code, error.message);
    }
    throw error;
  }
}
