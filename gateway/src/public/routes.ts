import { z } from 'zod';
import {
    computeDraw,
    type DrawInput,
    merkleProof,
    merkleRoot,
    resultHash,
    verifyMerkleProof,
    type Winner,
} from 'zhelian/lottery/draw';
import { HttpError } from '../http/http-error';
import { decodeResult } from '../http/json-form';
import { route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import type { GatewayServices } from '../services';
import { hashUploadedFile } from './file-hash';

/** An id as the contracts accept it (lib's identifier): safe in a key and a URL, no path separators. */
const identifier = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1-64 letters, digits, ".", "_" or "-"');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256 digest');

const ReceiptParams = z.object({
    code: z
        .string()
        .regex(/^\d{8}$/, 'expected 8 digits')
        .describe('票据代码, the receipt code, e.g. 33010125.'),
    number: z
        .string()
        .regex(/^\d{1,10}$/, 'expected 1-10 digits')
        .describe('票据号码, the receipt number.'),
});
const ReceiptQuery = z.object({
    checkCode: z.string().min(1).max(32).describe('校验码, the check code printed on the receipt.'),
});
const CakeParams = z.object({ code: identifier.describe("The cake's code, as its QR code carries it.") });
const EventParams = z.object({ eventId: identifier.describe('The draw, e.g. tmall-2019-double11.') });
const EntrantParams = z.object({
    eventId: identifier.describe('The draw.'),
    entrantId: sha256Hex.describe("The entrant's id (getMyEntry tells an entrant its own)."),
});
const EvidenceParams = z.object({ evidenceId: identifier.describe('The deposit, e.g. EV-2026-0001.') });
const EvidenceQuery = z.object({ hash: sha256Hex.describe('SHA-256 of the file to check, lowercase hex.') });

const RESULT = { type: 'object', properties: { result: { type: 'object' } } };

/** What the lottery's public draw record holds (lottery:getDrawRecord). */
interface DrawRecord extends DrawInput {
    status: string;
    winners: Winner[];
    resultHash: string;
    notarization: unknown;
}

/** Winners compared field by field: the record is sorted-key JSON, the recomputation is not. */
function sameWinners(a: readonly Winner[], b: readonly Winner[]): boolean {
    return (
        a.length === b.length &&
        a.every(
            (winner, i) =>
                winner.rank === b[i].rank && winner.prize === b[i].prize && winner.entrantId === b[i].entrantId,
        )
    );
}

/**
 * Public verification, no identity needed: what a receipt, a cake's QR code, a draw or a court
 * deposit lets anyone check. The gateway asks the ledger as its public identity; these routes
 * are rate-limited.
 */
export function publicRoutes(services: GatewayServices): RouteTable {
    const evaluate = async (contract: string, transaction: string, args: string[]): Promise<unknown> => {
        const handle = await services.connections.contract(
            await services.publicIdentity(),
            services.chaincode,
            contract,
        );
        return decodeResult(await services.runner.evaluate(handle, transaction, { args }));
    };
    const drawRecord = async (eventId: string): Promise<DrawRecord> =>
        (await evaluate('lottery', 'getDrawRecord', [eventId])) as DrawRecord;

    return new RouteTable().add(
        route<z.output<typeof ReceiptParams>, z.output<typeof ReceiptQuery>>({
            method: 'get',
            path: '/api/public/einvoice/receipts/:code/:number',
            operationId: 'public.receipt',
            summary:
                'Checks a medical e-receipt: status, content hash, amounts reimbursed (code + number + check code)',
            description:
                'A wrong check code and an unknown receipt are refused alike (404 E_VERIFY_FAILED), revealing nothing.',
            tags: ['public'],
            access: 'public',
            limit: 'public',
            params: zodSchema(ReceiptParams),
            query: zodSchema(ReceiptQuery),
            responses: { 200: { description: 'The receipt as anyone may see it.', schema: RESULT } },
            async handle({ params, query }) {
                return {
                    result: await evaluate('einvoice', 'verifyReceipt', [params.code, params.number, query.checkCode]),
                };
            },
        }),
        route<z.output<typeof CakeParams>>({
            method: 'get',
            path: '/api/public/tea/cakes/:code',
            operationId: 'public.cake',
            summary:
                "A Pu'er cake's whole life, from garden to shop, with its inspection verdict and how often it was scanned",
            description:
                'What the QR code on a cake opens. Read-only: a consumer who wants the scan counted submits tea:scanCake.',
            tags: ['public'],
            access: 'public',
            limit: 'public',
            params: zodSchema(CakeParams),
            responses: { 200: { description: "The cake's trace.", schema: RESULT } },
            async handle({ params }) {
                return { result: await evaluate('tea', 'traceCake', [params.code]) };
            },
        }),
        route<z.output<typeof EventParams>>({
            method: 'get',
            path: '/api/public/lottery/:eventId/draw',
            operationId: 'public.draw',
            summary: 'Recomputes a notarized draw from its public record and says whether the recorded winners match',
            description:
                "Checks the entrant list's Merkle root, recomputes the winners from the revealed seeds (zhelian/lottery/draw, the chaincode's own algorithm) and the result hash the notary signed.",
            tags: ['public'],
            access: 'public',
            limit: 'public',
            params: zodSchema(EventParams),
            responses: {
                200: {
                    description: 'The record, the recomputation and the verdicts.',
                    schema: {
                        type: 'object',
                        properties: {
                            record: { type: 'object' },
                            recomputedWinners: { type: 'array' },
                            listRootMatches: { type: 'boolean' },
                            winnersMatch: { type: 'boolean' },
                            resultHashMatches: { type: 'boolean' },
                            verified: { type: 'boolean' },
                        },
                    },
                },
            },
            async handle({ params }) {
                const record = await drawRecord(params.eventId);
                const recomputedWinners = computeDraw(record);
                const listRootMatches = merkleRoot(record.entrants) === record.listRoot;
                const winnersMatch = sameWinners(recomputedWinners, record.winners);
                const resultHashMatches =
                    resultHash({ eventId: record.eventId, listRoot: record.listRoot, winners: recomputedWinners }) ===
                    record.resultHash;
                return {
                    record,
                    recomputedWinners,
                    listRootMatches,
                    winnersMatch,
                    resultHashMatches,
                    verified: listRootMatches && winnersMatch && resultHashMatches,
                };
            },
        }),
        route<z.output<typeof EntrantParams>>({
            method: 'get',
            path: '/api/public/lottery/:eventId/entrants/:entrantId/proof',
            operationId: 'public.entryProof',
            summary: "An entrant's Merkle inclusion proof in a draw's frozen entrant list",
            tags: ['public'],
            access: 'public',
            limit: 'public',
            params: zodSchema(EntrantParams),
            responses: {
                200: {
                    description: 'The proof, and whether it leads to the recorded root.',
                    schema: {
                        type: 'object',
                        properties: {
                            entrantId: { type: 'string' },
                            listRoot: { type: 'string' },
                            proof: { type: 'array' },
                            verified: { type: 'boolean' },
                        },
                    },
                },
            },
            async handle({ params }) {
                const record = await drawRecord(params.eventId);
                const proof = merkleProof(record.entrants, params.entrantId);
                if (!proof) {
                    throw new HttpError(
                        404,
                        'NOT_AN_ENTRANT',
                        `${params.entrantId} is not in the entrant list of ${params.eventId}`,
                        { field: 'entrantId' },
                    );
                }
                return {
                    entrantId: params.entrantId,
                    listRoot: record.listRoot,
                    proof,
                    verified: verifyMerkleProof({ leaf: params.entrantId, proof, root: record.listRoot }),
                };
            },
        }),
        route<z.output<typeof EvidenceParams>, z.output<typeof EvidenceQuery>>({
            method: 'get',
            path: '/api/public/evidence/:evidenceId',
            operationId: 'public.evidenceByHash',
            summary: "Checks a file's SHA-256 against a court deposit: MATCH or MISMATCH",
            tags: ['public'],
            access: 'public',
            limit: 'public',
            params: zodSchema(EvidenceParams),
            query: zodSchema(EvidenceQuery),
            responses: { 200: { description: 'The outcome.', schema: RESULT } },
            async handle({ params, query }) {
                return { result: await evaluate('evidence', 'verifyEvidence', [params.evidenceId, query.hash]) };
            },
        }),
        route<z.output<typeof EvidenceParams>>({
            method: 'post',
            path: '/api/public/evidence/:evidenceId/file',
            operationId: 'public.evidenceByFile',
            summary: 'Checks a file against a court deposit: the file is hashed as it streams in, never kept',
            tags: ['public'],
            access: 'public',
            limit: 'upload',
            params: zodSchema(EvidenceParams),
            rawBody: {
                contentType: 'multipart/form-data',
                description: `One file in field "file"; at most the server's upload limit (${services.uploadLimit} bytes).`,
                schema: {
                    type: 'object',
                    required: ['file'],
                    properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
                },
            },
            responses: {
                200: {
                    description: "The file's hash and the outcome.",
                    schema: {
                        type: 'object',
                        properties: {
                            sha256: { type: 'string' },
                            sizeBytes: { type: 'integer' },
                            result: { type: 'object' },
                        },
                    },
                },
            },
            async handle({ req, params }) {
                // Multipart framing adds a little to the file; anything far beyond the limit is refused unread.
                if (Number(req.headers['content-length'] ?? 0) > services.uploadLimit + 64 * 1024) {
                    req.resume();
                    throw new HttpError(
                        413,
                        'FILE_TOO_LARGE',
                        `the file is larger than the limit of ${services.uploadLimit} bytes`,
                        {
                            field: 'file',
                        },
                    );
                }
                const file = await hashUploadedFile(req, services.uploadLimit);
                return {
                    sha256: file.sha256,
                    sizeBytes: file.sizeBytes,
                    result: await evaluate('evidence', 'verifyEvidence', [params.evidenceId, file.sha256]),
                };
            },
        }),
    );
}
