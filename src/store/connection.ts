import fs from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';

/** An open database connection: the scripts and the service hold it to close it. */
export type { Connection };

export async function connect(uri: string, dbName: string, options: { selectionTimeoutMs?: number } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    // While the database is away, a request waits this long for it, then answers 503.
    serverSelectionTimeoutMS: options.selectionTimeoutMs ?? 5_000,
    // A database host that accepts the connection and then says nothing must not hold a request
    // for the driver's default 30 s, nor an operation forever.
    connectTimeoutMS: options.selectionTimeoutMs ?? 5_000,
    socketTimeoutMS: 60_000,
    // Commands fail fast instead of queueing forever while the database is away.
    bufferCommands: false,
  });
  await connection.asPromise();
  return connection;
}

/**
 * Where `npm start` leaves the address of the embedded database it started, so that the seed
 * and token scripts reach the same data while the service runs.
 */
export function embeddedAddressFile(dataDir: string): string {
  return path.join(dataDir, 'embedded-database.json');
}

export interface EmbeddedAddress {
  uri: string;
  backend: string;
  pid: number;
}

export function writeEmbeddedAddress(dataDir: string, address: EmbeddedAddress): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(embeddedAddressFile(dataDir), JSON.stringify(address, null, 2));
}

export function removeEmbeddedAddress(dataDir: string): void {
  fs.rmSync(embeddedAddressFile(dataDir), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** MONGODB_URI if set, else the embedded database of a running service, else null. */
export function locateDatabase(mongodbUri: string | null, dataDir: string): string | null {
  if (mongodbUri) return mongodbUri;
  try {
    const address = JSON.parse(fs.readFileSync(embeddedAddressFile(dataDir), 'utf8')) as EmbeddedAddress;
    return processAlive(address.pid) ? address.uri : null;
  } catch {
    return null;
  }
}
