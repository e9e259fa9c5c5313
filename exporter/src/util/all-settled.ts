/**
 * Every value once all have settled, or else the first failure, thrown only once nothing is running any
 * more: a caller that ends its pool on failure must not pull it from under work still in flight.
 */
export async function allOrFirstError<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}
