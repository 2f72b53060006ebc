import type { NetworkInfo } from '@zhelian/api';
import type { RunningGateway } from '@zhelian/gateway';
import { describe, expect, it } from 'vitest';
import { banner } from './banner';

const network: NetworkInfo = {
    kind: 'embedded',
    location: '/home/teacher/.zhelian',
    channel: 'zhelian',
    organizations: [{ mspId: 'MemberMSP', name: '参与机构与个人', peers: ['peer0.MemberMSP'] }],
    orderers: ['orderer0 (embedded)'],
    chaincodes: [],
};
const gateway = { url: 'http://127.0.0.1:8080', requireTokens: false } as RunningGateway;

describe("npm start's banner", () => {
    it('names the network with its channel and its state database', () => {
        const first = (info: NetworkInfo) => banner(info, gateway, [], 900).split('\n')[0];
        expect(first({ ...network, stateDatabase: 'couchdb' })).toBe(
            '浙链 Zhelian — embedded network in /home/teacher/.zhelian, channel zhelian, CouchDB state database',
        );
        expect(first({ ...network, stateDatabase: 'leveldb' })).toMatch(/, channel zhelian, LevelDB state database$/);
        // A backend that does not know it says nothing about it.
        expect(first(network)).toMatch(/, channel zhelian$/);
    });
});
