import { describe, expect, it } from 'vitest';
import { keepSections, render } from './artifacts';

describe('the configtx.yaml template', () => {
    it('takes each ${NAME} from the values and refuses one it does not have', () => {
        expect(
            render('Port: ${ORDERER_PORT}\nBatchTimeout: ${BATCH_TIMEOUT}', {
                ORDERER_PORT: '7050',
                BATCH_TIMEOUT: '250ms',
            }),
        ).toBe('Port: 7050\nBatchTimeout: 250ms');
        expect(() => render('Port: ${PEER_PORT_NOWHERE}', {})).toThrow(/PEER_PORT_NOWHERE/);
    });
});

describe('the BFT sections of the template', () => {
    it('stay for a BFT network and go for a Raft one', () => {
        const template = 'A: 1\n  # {bft}: why\n  B: 2\n  # {/bft}\nC: 3\n  # {fabric3}\n  D: 4\n  # {/fabric3}\n';
        expect(keepSections(template, { bft: true, fabric3: true })).toBe(template);
        expect(keepSections(template, { bft: false, fabric3: true })).toBe(
            'A: 1\nC: 3\n  # {fabric3}\n  D: 4\n  # {/fabric3}\n',
        );
        expect(keepSections(template, {})).toBe('A: 1\nC: 3\n');
    });
});
