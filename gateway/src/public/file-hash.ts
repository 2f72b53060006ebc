import { createHash } from 'node:crypto';
import type { Request } from 'express';
import busboy from 'busboy';
import { HttpError } from '../http/http-error';

export interface HashedFile {
    /** Lowercase hex SHA-256 of the file's bytes. */
    sha256: string;
    sizeBytes: number;
    filename: string;
}

/**
 * Hashes the one file of a `multipart/form-data` request while it streams in: the file is never
 * kept, in memory or on disk. Refuses (413) a file over `limitBytes`, and (400) a request with no
 * file or more than one.
 */
export function hashUploadedFile(req: Request, limitBytes: number, field = 'file'): Promise<HashedFile> {
    if (!req.is('multipart/form-data')) {
        return Promise.reject(
            new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `send the file as multipart/form-data, in field "${field}"`),
        );
    }
    return new Promise((resolve, reject) => {
        let parser: busboy.Busboy;
        try {
            parser = busboy({
                headers: req.headers,
                limits: { files: 1, fileSize: limitBytes, fields: 10, parts: 12 },
            });
        } catch (err) {
            reject(
                new HttpError(400, 'BAD_MULTIPART', `the multipart request cannot be read: ${(err as Error).message}`),
            );
            return;
        }
        let hashed: Promise<HashedFile> | undefined;
        let failure: HttpError | undefined;
        const fail = (error: HttpError): void => {
            failure ??= error;
        };
        parser.on('file', (name, stream, info) => {
            if (name !== field || hashed) {
                stream.resume();
                fail(new HttpError(400, 'BAD_UPLOAD', `send exactly one file, in field "${field}"`, { field: name }));
                return;
            }
            const hash = createHash('sha256');
            let size = 0;
            hashed = new Promise((done, error) => {
                stream.on('data', (chunk: Buffer) => {
                    size += chunk.length;
                    hash.update(chunk);
                });
                stream.on('limit', () =>
                    fail(
                        new HttpError(
                            413,
                            'FILE_TOO_LARGE',
                            `the file is larger than the limit of ${limitBytes} bytes`,
                            {
                                field,
                            },
                        ),
                    ),
                );
                stream.on('error', error);
                stream.on('end', () =>
                    done({ sha256: hash.digest('hex'), sizeBytes: size, filename: info.filename ?? '' }),
                );
            });
        });
        parser.on('filesLimit', () =>
            fail(new HttpError(400, 'BAD_UPLOAD', `send exactly one file, in field "${field}"`)),
        );
        parser.on('error', (err: Error) =>
            reject(new HttpError(400, 'BAD_MULTIPART', `the multipart request cannot be read: ${err.message}`)),
        );
        parser.on('close', () => {
            if (failure) {
                reject(failure);
            } else if (!hashed) {
                reject(new HttpError(400, 'BAD_UPLOAD', `no file: send one in field "${field}"`, { field }));
            } else {
                hashed.then(resolve, reject);
            }
        });
        req.pipe(parser);
    });
}
