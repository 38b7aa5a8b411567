/** What the store reads from MongoDB's answers and puts into its queries, in one place. */

/** A write refused by a unique index (E11000). */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/** Text searched for literally inside a `$regex`. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
