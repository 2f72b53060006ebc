/**
 * Compile-time proof that `@zhelian/api`'s client interfaces are a strict subset of
 * `@hyperledger/fabric-gateway` 1.11: a real fabric-gateway object is accepted wherever ours is
 * asked for. `npm test` type-checks this file (`tsc -p tsconfig.tests.json`); it fails to compile
 * the day our interfaces ask for anything fabric-gateway does not provide.
 */
import type * as fabric from '@hyperledger/fabric-gateway';
import type * as api from '../src/index';

type Assignable<Target, Source extends Target> = Source;

export type Proofs = [
    Assignable<api.Gateway, fabric.Gateway>,
    Assignable<api.Network, fabric.Network>,
    Assignable<api.Contract, fabric.Contract>,
    Assignable<api.Proposal, fabric.Proposal>,
    Assignable<api.Transaction, fabric.Transaction>,
    Assignable<api.SubmittedTransaction, fabric.SubmittedTransaction>,
    Assignable<api.Status, fabric.Status>,
    Assignable<api.ChaincodeEvent, fabric.ChaincodeEvent>,
    Assignable<api.ClientIdentity, fabric.Identity>,
    Assignable<api.CloseableAsyncIterable<api.ChaincodeEvent>, fabric.CloseableAsyncIterable<fabric.ChaincodeEvent>>,
    // The options we pass are options fabric-gateway takes.
    Assignable<fabric.ProposalOptions, api.ProposalOptions>,
    Assignable<fabric.ChaincodeEventsOptions, api.ChaincodeEventsOptions>,
];

/** A value-level use as well: code written against our Gateway runs on a real one. */
export function useRealGateway(gateway: fabric.Gateway): api.Gateway {
    return gateway;
}
