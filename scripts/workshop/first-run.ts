/**
 * What `npm start` tells a newcomer after its banner: where the UI is, how to open a lesson, and
 * how to run the narrated demo beside it. For a classroom server (tokens required), how learners
 * join.
 */
export function firstRunLines(url: string, requireTokens: boolean): string {
    const lines = [
        `open the lab in a browser: ${url}/  (中文界面, English in the language switch)`,
        `  lessons        ${url}/workshop  (start with "How Fabric works", then one per application)`,
        `  instructor     ${url}/workshop/instructor`,
        `  the narrated demo, in another terminal: npm run demo -- --lang zh-CN  (or --lang en)`,
    ];
    if (requireTokens) {
        lines.push(
            `  learners join with a link from the instructor view: sign in there with the instructor token above`,
        );
    }
    return `${lines.join('\n')}\n`;
}
