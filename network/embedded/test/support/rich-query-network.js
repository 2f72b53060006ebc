'use strict';
// The rich-query fixture chaincode deployed on a new test-network ledger, shared by the ledger's
// rich-query tests and the rich-query benchmark (scripts/bench/rich-query.ts, which loads it by
// the package's name). JavaScript, with its types beside it, so the compiled benchmark can load it.
const { mkdtemp, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');

const RICH_QUERY_PACKAGE = path.join(__dirname, '..', 'fixtures', 'ledger', 'rich-query');

async function openRichQueryNetwork(open, tmpPrefix = 'zhelian-rich-') {
    const dataDir = await mkdtemp(path.join(tmpdir(), tmpPrefix));
    const ledger = await open(dataDir);
    await ledger.deploy({
        packageDir: RICH_QUERY_PACKAGE,
        policy: "OR('Org1MSP.member','Org2MSP.member')",
        collections: [
            {
                name: 'secrets',
                policy: "OR('Org1MSP.member')",
                requiredPeerCount: 0,
                maxPeerCount: 1,
                blockToLive: 0,
                memberOnlyRead: false,
            },
        ],
    });
    const contract = async (mspId) =>
        (await ledger.connect({ mspId, name: 'user1' })).getNetwork('mychannel').getContract('rich-query', 'rich');
    return {
        ledger,
        org1: await contract('Org1MSP'),
        org2: await contract('Org2MSP'),
        async close() {
            await ledger.close();
            await rm(dataDir, { recursive: true, force: true });
        },
    };
}

module.exports = { RICH_QUERY_PACKAGE, openRichQueryNetwork };
