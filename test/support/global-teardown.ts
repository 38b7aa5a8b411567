/** jest globalTeardown: stops the database global-setup.ts started. */
import { takeTestDatabaseServer } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await takeTestDatabaseServer()?.stop();
}
