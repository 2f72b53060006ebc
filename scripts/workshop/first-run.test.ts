import { describe, expect, it } from 'vitest';
import { firstRunLines } from './first-run';

describe('what npm start tells a newcomer', () => {
    it('names the UI, the lessons, the instructor view and the demo', () => {
        const text = firstRunLines('http://127.0.0.1:8080');
        expect(text).toContain('http://127.0.0.1:8080/workshop ');
        expect(text).toContain('http://127.0.0.1:8080/workshop/instructor');
        expect(text).toContain('npm run demo');
        expect(text).not.toContain('token=');
    });

    it("gives a classroom server's teacher the link that signs in to the instructor view", () => {
        expect(firstRunLines('http://10.0.0.5:8080', 'zhi_abc')).toContain(
            'http://10.0.0.5:8080/workshop/instructor?token=zhi_abc',
        );
    });
});
