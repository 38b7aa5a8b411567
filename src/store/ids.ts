import { Types } from 'mongoose';

/**
 * The identifier of a stored filing, comment or member of staff. Code outside the store names
 * records by it without knowing which database library makes them.
 */
export type ObjectId = Types.ObjectId;

const HEX_ID = /^[0-9a-f]{24}$/i;

/** A fresh identifier, for a record about to be inserted. */
export function newObjectId(): ObjectId {
  return new Types.ObjectId();
}

/** The identifier written as 24 hex digits (in a URL, a form, a mail key), or null. */
export function parseObjectId(text: string): ObjectId | null {
  return HEX_ID.test(text) ? new Types.ObjectId(text) : null;
}

/** The identifier of text known to be one (read back from the store); throws otherwise. */
export function toObjectId(text: string): ObjectId {
  return new Types.ObjectId(text);
}

/** Whether the text is an identifier the store would accept (24 hex digits or 12 bytes). */
export function isObjectIdText(text: string): boolean {
  return Types.ObjectId.isValid(text);
}
