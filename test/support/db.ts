/**
 * Gives a test file its own database on the server global-setup.ts started, so test files
 * can run in parallel without seeing each other's documents.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

export interface TestDatabase {
  connection: mongoose.Connection;
  dbName: string;
  /** Drops the database, then closes the connection. */
  close(): Promise<void>;
}

export async function connectTestDatabase(): Promise<TestDatabase> {
  const uri = process.env.MONGODB_TEST_URI;
  if (!uri) {
    throw new Error('MONGODB_TEST_URI is not set: run the tests through jest, whose globalSetup starts the database');
  }
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  const connection = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  return {
    connection,
    dbName,
    close: async () => {
      try {
        await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    },
  };
}
