import { describe, expect, it } from 'vitest';
import { render } from './up';

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
