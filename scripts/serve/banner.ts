import type { IdentityInfo, NetworkInfo } from '@zhelian/api';
import type { RunningGateway } from '@zhelian/gateway';

/** What `npm start` prints once it listens: where to go, who one can be, how to authenticate. */
export function banner(
    network: NetworkInfo,
    gateway: RunningGateway,
    identities: IdentityInfo[],
    readyMs: number,
): string {
    const stateDatabase = network.stateDatabase
        ? `, ${{ leveldb: 'LevelDB', couchdb: 'CouchDB' }[network.stateDatabase]} state database`
        : '';
    const lines = [
        `浙链 Zhelian — ${network.kind} network in ${network.location}, channel ${network.channel}${stateDatabase}`,
        `listening on ${gateway.url} (ready in ${readyMs} ms)`,
        `  API docs   ${gateway.url}/api/docs`,
        `  OpenAPI    ${gateway.url}/api/openapi.json`,
        `  health     ${gateway.url}/api/health`,
        '',
        'identities (act as one with the header X-Zhelian-Identity: MSP:user):',
    ];
    for (const org of network.organizations) {
        const users = identities
            .filter((identity) => identity.mspId === org.mspId && identity.role === 'client')
            .map((identity) => `${identity.name}${identity.attrs.unit ? ` (${identity.attrs.unit})` : ''}`);
        lines.push(`  ${org.mspId} ${org.name}: ${users.join(', ')}`);
    }
    lines.push('');
    if (gateway.requireTokens) {
        lines.push(
            `every request but the public ones needs a bearer token; the instructor token is`,
            `  ${gateway.instructorToken}`,
            `issue participant tokens with POST /api/tokens {"identity": "MSP:user"} (see the API docs)`,
        );
    } else {
        lines.push(
            `for example: curl -H 'X-Zhelian-Identity: RegulatorMSP:finance' '${gateway.url}/api/einvoice/listRanges?code=33010125'`,
            `             curl '${gateway.url}/api/public/einvoice/receipts/33010125/1?checkCode=7c3a91'`,
            'npx zhelian … works meanwhile: it finds this server in the data dir and goes through it',
        );
    }
    lines.push('Ctrl-C stops the server (transactions in flight finish first)');
    return `${lines.join('\n')}\n`;
}
