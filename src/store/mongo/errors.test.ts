import { MongoBulkWriteError, MongoNetworkTimeoutError, MongoServerError } from 'mongodb';
import { isUnavailableError } from './errors';

// The driver builds these itself; the constructor is internal but stable enough to fake one here.
type BulkErrorArgs = ConstructorParameters<typeof MongoBulkWriteError>;
function bulkError(cause: BulkErrorArgs[0]): MongoBulkWriteError {
  const noWriteConcernError = { getWriteConcernError: () => undefined };
  return new MongoBulkWriteError(cause, noWriteConcernError as unknown as BulkErrorArgs[1]);
}

describe('isUnavailableError', () => {
  it('treats a network timeout as unavailability', () => {
    expect(isUnavailableError(new MongoNetworkTimeoutError('connection 6 to 127.0.0.1:27017 timed out'))).toBe(true);
  });

  it('sees through a bulk write that failed on a socket timeout (seen on FerretDB under an 8-client push)', () => {
    const error = bulkError(new MongoNetworkTimeoutError('connection 6 to 127.0.0.1:27017 timed out'));
    expect(isUnavailableError(error)).toBe(true);
  });

  it('does not call a bulk write refused for a bad document unavailability', () => {
    const error = bulkError({ message: 'document failed validation', code: 121, writeErrors: [] } as unknown as BulkErrorArgs[0]);
    expect(isUnavailableError(error)).toBe(false);
  });

  it('does not call an ordinary server error unavailability', () => {
    expect(isUnavailableError(new MongoServerError({ message: 'bad query', code: 2 }))).toBe(false);
  });
});
