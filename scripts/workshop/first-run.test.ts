import { describe, expect, it } from 'vitest';
import { firstRunLines } from './first-run';

describe('what npm start tells a newcomer', () => {
    it('names the UI, the lessons, the instructor view and the demo', () => {
        const text = firstRunLines('http://127.0.0.1:8080', false);
        expect(text).toContain('http://127.0.0.1:8080/workshop ');
        expect(text).toContain('http://127.0.0.1:8080/workshop/instructor');
        expect(text).toContain('npm run demo');
        expect(text).not.toContain('instructor token');
    });

    it('tells a classroom server how learners join', () => {
        expect(firstRunLines('http://10.0.0.5:8080', true)).toContain('sign in there with the instructor token');
    });
});
