/**
 * A failure of the native network's scripts that a user can act on: the message says what went
 * wrong and what to do, and the CLI prints it without a stack trace.
 */
export class NativeNetworkError extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = 'NativeNetworkError';
    }
}
