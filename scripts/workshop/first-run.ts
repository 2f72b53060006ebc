/**
 * What `npm start` tells a newcomer after its banner: where the UI is, how to open a lesson, and
 * how to run the narrated demo beside it. For a classroom server (tokens required: the instructor
 * token is given), the link that signs the teacher in to the instructor view.
 */
export function firstRunLines(url: string, instructorToken?: string): string {
    const lines = [
        `open the lab in a browser: ${url}/  (中文界面, English in the language switch)`,
        `  lessons        ${url}/workshop  (start with "How Fabric works", then one per application)`,
        `  instructor     ${url}/workshop/instructor`,
        `  the narrated demo, in another terminal: npm run demo -- --lang zh-CN  (or --lang en)`,
    ];
    if (instructorToken !== undefined) {
        lines.push(
            `  in a classroom, open ${url}/workshop/instructor?token=${instructorToken}`,
            `  and hand each learner the link "Make a link" gives`,
        );
    }
    return `${lines.join('\n')}\n`;
}
